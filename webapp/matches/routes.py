"""A need's ranked candidates: filters, paging, shortlist, compare, invite."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles, validates_csrf_in_form
from ..htmx import is_fragment_request
from ..invitations import services as invitations
from ..models import Role
from ..needs.services import need_in_organisation
from ..search.ranking import CandidateFilters, candidate_count, strong_match_count, visible_profile
from . import services
from .forms import CandidateFilterForm, InvitationForm

bp = Blueprint("matches", __name__, url_prefix="/needs/<int:need_id>")
LEADER = Role.LEADER


def _filters(form: CandidateFilterForm) -> CandidateFilters:
    valid = {name: field.data for name, field in form._fields.items() if not field.errors}
    return CandidateFilters(
        max_rate=valid.get("max_rate"),
        min_weekly_hours=valid.get("min_hours"),
        max_timezone_gap=valid.get("max_gap"),
        min_augmentation=float(valid["min_augmentation"]) if valid.get("min_augmentation") is not None else None,
        page=valid.get("page") or 1,
    )


@bp.route("/matches")
@roles(LEADER)
def index(need_id: int):
    """The need's ranked candidates, filtered by the query string; the list alone for htmx."""
    form = CandidateFilterForm(request.args)
    form.validate()
    found = services.match_list(current_user, need_id, _filters(form))
    context = dict(
        need=found.need,
        form=form,
        page=found.page,
        shortlisted=found.shortlisted,
        interested=found.interested,
        query={k: v for k, v in request.args.items() if k != "page" and v},
    )
    if is_fragment_request():
        return render_template("matches/_candidates.html", **context)
    return render_template("matches/index.html", **context)


@bp.route("/matches/count")
@roles(LEADER)
def strong_count(need_id: int):
    """The leader's home fills its "candidates" and "strong" columns with this, one need at a time."""
    need = need_in_organisation(current_user, need_id)
    return render_template(
        "matches/_match_counts.html",
        need=need,
        count=strong_match_count(need, viewer=current_user),
        candidates=candidate_count(need, viewer=current_user),
    )


@bp.route("/shortlist/<int:profile_id>", methods=["POST"])
@roles(LEADER)
def shortlist(need_id: int, profile_id: int):
    """Adds the candidate to the need's shortlist, or takes them off; the button alone for htmx."""
    need = need_in_organisation(current_user, need_id)
    if request.form.get("shortlist") == "remove":
        invitations.unshortlist(need, profile_id, actor=current_user)
    else:
        invitations.shortlist(need, visible_profile(current_user, profile_id), actor=current_user)
    if is_fragment_request():
        return render_template(
            "matches/_shortlist_button.html",
            need=need,
            profile_id=profile_id,
            shortlisted=invitations.shortlisted_ids(need),
        )
    return redirect(request.referrer or url_for("matches.index", need_id=need_id))


@bp.route("/compare")
@roles(LEADER)
def compare(need_id: int):
    """The need's shortlist side by side, with the invitations sent."""
    need = need_in_organisation(current_user, need_id)
    return render_template(
        "matches/compare.html",
        need=need,
        profiles=invitations.shortlisted_profiles(need, viewer=current_user),
        sent=invitations.invitations_of_need(need),
    )


@bp.route("/invite/<int:profile_id>", methods=["GET", "POST"])
@roles(LEADER)
@validates_csrf_in_form
def invite(need_id: int, profile_id: int):
    """The invitation form for one candidate, and sending it."""
    need = need_in_organisation(current_user, need_id)
    profile = visible_profile(current_user, profile_id)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            invitations.invite(need, profile, form.message.data, actor=current_user)
        except invitations.InvitationError as error:
            form.message.errors = [*form.message.errors, str(error)]
        else:
            flash(f"Invitation sent to {profile.user.name}.", "success")
            return redirect(url_for("matches.invitations_list", need_id=need_id))
    return render_template("matches/invite.html", need=need, profile=profile, form=form), 422 if form.errors else 200


@bp.route("/invitations")
@roles(LEADER, Role.PROGRAM_MANAGER, Role.ADMIN)
def invitations_list(need_id: int):
    """The invitations sent for the need and where each stands."""
    need = need_in_organisation(current_user, need_id)
    rows, visible = services.need_invitations(current_user, need)
    return render_template("matches/invitations.html", need=need, invitations=rows, visible=visible)


@bp.route("/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@roles(LEADER)
def withdraw(need_id: int, invitation_id: int):
    """Takes back an invitation not yet answered."""
    need = need_in_organisation(current_user, need_id)
    invitation = invitations.invitation_for_leader(current_user, invitation_id)
    if invitation is None or invitation.need_id != need.id:
        abort(404)
    try:
        invitations.withdraw(invitation, actor=current_user)
        flash("Invitation withdrawn.", "success")
    except invitations.InvitationError as error:
        flash(str(error), "error")
    return redirect(url_for("matches.invitations_list", need_id=need_id))
