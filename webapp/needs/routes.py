"""Leaders' needs: list, post, edit, status, live preview of matches."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from matching import NeedDoc, SkillRef

from ..access import roles, validates_csrf_in_form
from ..forms_common import filled_rows
from ..home.news import whats_new
from ..htmx import is_fragment_request
from ..models import Intent, NeedStatus, Role
from ..search.ranking import preview_candidates
from ..security import limiter, per_user
from ..skills.assist import apply_action, dismissed_in, form_prose, requested_action, skill_help
from ..skills.entries import unrecognised_message
from . import services
from .forms import NeedForm

bp = Blueprint("needs", __name__, url_prefix="/needs")
LEADER = Role.LEADER


def _form(obj=None) -> NeedForm:
    form = NeedForm(obj=obj)
    teams, goals = services.teams_and_goals(current_user)
    form.team_id.choices = [(team.id, team.name) for team in teams]
    form.goal_id.choices = [(0, "— none —")] + [(goal.id, goal.title) for goal in goals]
    if obj is not None and request.method == "GET":
        form.intent.data = obj.intent.value
        form.goal_id.data = obj.goal_id or 0
        for row, skill in zip(form.skills, obj.skills):
            row.skill.data, row.weight.data = skill.label, str(skill.importance)
    return form


def _input(form: NeedForm) -> services.NeedInput:
    return services.NeedInput(
        title=form.title.data,
        description=form.description.data,
        team_id=form.team_id.data,
        goal_id=form.goal_id.data or None,
        intent=Intent(form.intent.data),
        skills=filled_rows(form.skills),
        learning_goals=form.learning_goals.data,
        duration_weeks=form.duration_weeks.data,
        hours_per_week=form.hours_per_week.data,
        budget_min=form.budget_min.data,
        budget_max=form.budget_max.data,
        budget_firm=form.budget_firm.data,
        team_gap=form.team_gap.data,
        timezone=form.timezone.data or None,
        remote=form.remote.data,
        internal_notes=form.internal_notes.data or "",
        draft=request.form.get("save") == "draft",
    )


def _save(form: NeedForm, need=None):
    try:
        saved, free_text = services.save_need(_input(form), actor=current_user, need=need)
    except services.NeedError as error:
        form.team_id.errors = [*form.team_id.errors, str(error)]
        return None
    if free_text:
        flash(unrecognised_message(free_text), "info")
    if saved.status is NeedStatus.DRAFT:
        flash("Draft saved. Freelancers don't see it until you open it.", "success")
    else:
        flash("Need saved.", "success")
    return redirect(url_for("needs.show", need_id=saved.id))


@bp.route("/")
@roles(LEADER)
def index():
    """The organisation's needs, sorted and filtered by status; the table alone for htmx."""
    status = request.args.get("status", "")
    listing = services.need_list(
        current_user,
        sort=request.args.get("sort", "newest"),
        status=NeedStatus(status) if status in {s.value for s in NeedStatus} else None,
    )
    if is_fragment_request():
        return render_template("needs/_table.html", listing=listing)
    return render_template("needs/index.html", listing=listing, sorts=services.SORTS, news=whats_new(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles(LEADER)
@validates_csrf_in_form
def new():
    """Post a need; a skill button (add, use, dismiss, suggest) shows the form again unsaved."""
    return _edit_page(_form(), None)


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@roles(LEADER)
@validates_csrf_in_form
def edit(need_id: int):
    """Edit a need, as `new` does."""
    need = services.need_in_organisation(current_user, need_id)
    return _edit_page(_form(need), need)


NEED_PROSE = ("title", "description", "learning_goals")


def _edit_page(form: NeedForm, need):
    action = requested_action(request.form) if request.method == "POST" else None
    dismissed = dismissed_in(request.form)
    if action is not None:
        apply_action(form.skills, action, dismissed)
    elif form.validate_on_submit() and (done := _save(form, need)):
        return done
    help_ = skill_help(
        form.skills,
        form_prose(form, NEED_PROSE),
        dismissed,
        read_prose=action is not None and action.name != "use_skill",
    )
    return render_template(
        "needs/edit.html", form=form, need=need, help=help_, lean=services.stored_lean(need)
    ), 422 if form.errors else 200


@bp.route("/<int:need_id>")
@roles(LEADER, Role.PROGRAM_MANAGER, Role.ADMIN)
def show(need_id: int):
    """One need: its details, who is interested and what it can move to."""
    need = services.need_in_organisation(current_user, need_id)
    return render_template(
        "needs/show.html",
        need=need,
        transitions=sorted(services.TRANSITIONS[need.status], key=lambda s: s.value),
        interested=services.interested_freelancers(need, viewer=current_user),
    )


@bp.route("/<int:need_id>/status", methods=["POST"])
@roles(LEADER)
def change_status(need_id: int):
    """Moves the need to another status (open, paused, closed)."""
    need = services.need_in_organisation(current_user, need_id)
    try:
        services.change_status(need, NeedStatus(request.form.get("status", "")), actor=current_user)
        flash(f"The need is now {need.status.value}.", "success")
    except (ValueError, services.NeedError) as error:
        flash(str(error) if isinstance(error, services.NeedError) else "Unknown status.", "error")
    return redirect(url_for("needs.show", need_id=need_id))


# Each preview embeds the draft: a leader typing with the 500 ms debounce stays well inside this.
PREVIEW_LIMIT = "30 per minute;300 per hour"
PREVIEW_SKILLS = 12  # the skills a preview reads (the saved need keeps all 20)


@bp.route("/preview", methods=["POST"])
@limiter.limit(PREVIEW_LIMIT, key_func=per_user)
@roles(LEADER)
def preview():
    """The top matches for the need as it is being written (htmx, debounced)."""
    form = _form()
    title, description = (form.title.data or "").strip(), (form.description.data or "").strip()
    help_ = skill_help(form.skills, form_prose(form, NEED_PROSE), dismissed_in(request.form), read_prose=True)
    if len(title) + len(description) < 15:
        return render_template("needs/_preview.html", page=None, help=help_, lean=None)
    draft = need_doc_from_form(form)
    lean = services.read_lean(draft)
    if _intent(form) is Intent.DERIVED:
        draft = replace(draft, augment_intent=lean.score)
    return render_template(
        "needs/_preview.html", page=preview_candidates(draft, viewer=current_user), help=help_, lean=lean
    )


def _intent(form: NeedForm) -> Intent:
    return Intent(form.intent.data) if form.intent.data in {i.value for i in Intent} else Intent.DERIVED


def need_doc_from_form(form: NeedForm) -> NeedDoc:
    stated = _intent(form).augment_weight
    return NeedDoc(
        id=0,
        title=(form.title.data or "")[:200],
        description=(form.description.data or "")[:5000],
        skills=tuple(
            SkillRef(label[:100], None, weight) for label, weight in filled_rows(form.skills)[:PREVIEW_SKILLS]
        ),
        augment_intent=0.5 if stated is None else stated,
        learning_goals=(form.learning_goals.data or "")[:2000],
    )
