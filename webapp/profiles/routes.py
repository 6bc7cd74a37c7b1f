"""A freelancer's profile, the needs ranked for them, and their answers to invitations."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ..access import roles, validates_csrf_in_form
from ..forms_common import filled_rows
from ..freelancers import records
from ..home.news import whats_new
from ..invitations import services as invitations
from ..models import AiStance, Role, Visibility
from ..search.ranking import needs_for_profile
from ..security import AUTH_LIMIT, limiter, per_user
from ..skills.assist import apply_action, dismissed_in, form_prose, requested_action, skill_help
from ..skills.entries import unrecognised_message
from . import account_deletion, data_download, services
from .completeness import completeness
from .forms import DeclineForm, DeleteAccountForm, InterestForm, ProfileForm

bp = Blueprint("profiles", __name__)
FREELANCER = Role.FREELANCER


def _form(profile) -> ProfileForm:
    form = ProfileForm(obj=profile)
    if request.method == "GET":
        form.ai_stance.data = profile.ai_stance.value
        form.visibility.data = profile.visibility.value
        for row, skill in zip(form.skills, profile.skills):
            row.skill.data, row.weight.data = skill.label, str(skill.level)
    return form


@bp.route("/profile")
@roles(FREELANCER)
def show():
    """The freelancer's own profile and what it still lacks."""
    profile = services.own_profile(current_user)
    return render_template(
        "profiles/show.html",
        profile=profile,
        completeness=completeness(profile),
        record=records.record_of(profile),
        behind=records.engagements_behind(profile),
    )


@bp.route("/profile/edit", methods=["GET", "POST"])
@roles(FREELANCER)
@validates_csrf_in_form
def edit():
    """Edit one's profile; a skill button (add, use, dismiss, suggest) shows the form again unsaved."""
    profile = services.own_profile(current_user)
    form = _form(profile)
    action = requested_action(request.form) if request.method == "POST" else None
    dismissed = dismissed_in(request.form)
    if action is not None:
        apply_action(form.skills, action, dismissed)
    elif form.validate_on_submit():
        data = services.ProfileInput(
            headline=form.headline.data,
            bio=form.bio.data or "",
            skills=filled_rows(form.skills),
            ai_stance=AiStance(form.ai_stance.data),
            ai_usage=form.ai_usage.data or "",
            hourly_rate=form.hourly_rate.data,
            weekly_hours=form.weekly_hours.data,
            timezone=form.timezone.data or None,
            visibility=Visibility(form.visibility.data),
        )
        free_text = services.save_profile(profile, data, actor=current_user)
        if free_text:
            flash(unrecognised_message(free_text), "info")
        flash("Profile saved. Rankings already use the new version.", "success")
        return redirect(url_for("profiles.show"))
    help_ = skill_help(
        form.skills,
        form_prose(form, PROFILE_PROSE),
        dismissed,
        read_prose=action is not None and action.name != "use_skill",
    )
    return render_template("profiles/edit.html", form=form, help=help_), 422 if form.errors else 200


PROFILE_PROSE = ("headline", "bio", "ai_usage")


# Each reading embeds the profile's prose: typing with the 800 ms debounce stays well inside this.
SUGGESTIONS_LIMIT = "30 per minute;300 per hour"


@bp.route("/profile/skill-suggestions", methods=["POST"])
@limiter.limit(SUGGESTIONS_LIMIT, key_func=per_user)
@roles(FREELANCER)
def skill_suggestions():
    """The skills the profile's prose speaks of, as chips to add (htmx, debounced while typing)."""
    form = _form(services.own_profile(current_user))
    help_ = skill_help(form.skills, form_prose(form, PROFILE_PROSE), dismissed_in(request.form), read_prose=True)
    return render_template("skills/_read_skills.html", help=help_)


@bp.route("/profile/my-data.json")
@roles(FREELANCER)
def download_data():
    """Everything Tandem holds about the freelancer, as one JSON file."""
    body = json.dumps(data_download.freelancer_data(current_user), indent=2, ensure_ascii=False)
    return Response(
        body, mimetype="application/json", headers={"Content-Disposition": 'attachment; filename="tandem-my-data.json"'}
    )


@bp.route("/profile/delete", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])  # it checks a password
@roles(FREELANCER)
@validates_csrf_in_form
def delete_account():
    """Deletes the freelancer's account once they confirm with their password."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            account_deletion.delete_account(current_user._get_current_object(), form.password.data)
        except account_deletion.WrongPassword as error:
            form.password.errors.append(str(error))
        else:
            logout_user()
            session.clear()
            flash("Your account is deleted and your profile is gone from every search.", "success")
            return redirect(url_for("home.index"))
    return render_template(
        "profiles/delete.html", form=form, cancelled=account_deletion.engagements_to_cancel(current_user)
    ), 422 if form.errors else 200


@bp.route("/needs-for-me")
@roles(FREELANCER)
def needs_for_me():
    """Open needs ranked for the freelancer, once the profile says enough to rank on."""
    profile = services.own_profile(current_user)
    done = completeness(profile)
    # Held back until there is something to rank on: otherwise every need scores the same.
    page = needs_for_profile(profile, page=request.args.get("page", 1, type=int)) if done.enough_to_rank else None
    return render_template(
        "profiles/needs_for_me.html",
        page=page,
        profile=profile,
        completeness=done,
        open_needs=services.open_need_count(),
        news=whats_new(current_user),
        interested=services.interested_need_ids(profile),
    )


@bp.route("/opportunities/<int:need_id>")
@roles(FREELANCER)
def opportunity(need_id: int):
    """One open need as a freelancer sees it, with the form to say they are interested."""
    need = services.open_need_for_freelancer(need_id)
    profile = services.own_profile(current_user)
    return render_template(
        "profiles/opportunity.html",
        need=need,
        form=InterestForm(),
        interested=need.id in services.interested_need_ids(profile),
    )


@bp.route("/opportunities/<int:need_id>/interest", methods=["POST"])
@roles(FREELANCER)
@validates_csrf_in_form
def interest(need_id: int):
    """Tells the need's leader that the freelancer is interested."""
    need = services.open_need_for_freelancer(need_id)
    form = InterestForm()
    if not form.validate_on_submit():
        return render_template("profiles/opportunity.html", need=need, form=form, interested=False), 422
    if services.express_interest(services.own_profile(current_user), need, form.note.data or "", actor=current_user):
        flash("The leader can see that you are interested.", "success")
    else:
        flash("You had already said you are interested.", "info")
    return redirect(url_for("profiles.opportunity", need_id=need.id))


@bp.route("/my-invitations")
@roles(FREELANCER)
def my_invitations():
    """The freelancer's invitations, newest first (overdue ones marked expired)."""
    rows = invitations.invitations_for(current_user)
    invitations.expire_overdue(rows)
    return render_template("profiles/invitations.html", invitations=rows, engagements=invitations.engagements_of(rows))


def _my_invitation(invitation_id: int):
    invitation = invitations.invitation_for_freelancer(current_user, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


@bp.route("/my-invitations/<int:invitation_id>/accept", methods=["POST"])
@roles(FREELANCER)
def accept(invitation_id: int):
    """Accepts an invitation: the engagement starts."""
    invitation = _my_invitation(invitation_id)
    try:
        engagement = invitations.accept(invitation, actor=current_user)
    except invitations.InvitationError as error:
        flash(str(error), "error")
        return redirect(url_for("profiles.my_invitations"))
    flash(
        f"Accepted. This is your engagement with {invitation.need.organisation.name}: agree the "
        f"knowledge-transfer plan here with {invitation.sent_by.name}, who leads it.",
        "success",
    )
    return redirect(url_for("engagements.show", engagement_id=engagement.id, _anchor="plan"))


@bp.route("/my-invitations/<int:invitation_id>/decline", methods=["GET", "POST"])
@roles(FREELANCER)
@validates_csrf_in_form
def decline(invitation_id: int):
    """The form to decline an invitation, with an optional reason."""
    invitation = _my_invitation(invitation_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            invitations.decline(invitation, form.reason.data or "", actor=current_user)
            flash("Declined. Thank you for letting them know.", "success")
        except invitations.InvitationError as error:
            flash(str(error), "error")
        return redirect(url_for("profiles.my_invitations"))
    return render_template("profiles/decline.html", invitation=invitation, form=form), 422 if form.errors else 200
