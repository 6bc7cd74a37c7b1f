"""The knowledge-transfer plan and the team's members, edited from the engagement page.

A plan row is edited in place: htmx swaps the row for its form and back; without JavaScript
the same links and forms work as plain pages."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request
from flask_login import current_user

from ...access import roles, validates_csrf_in_form
from ...htmx import is_fragment_request
from .. import services
from ..page import PARTIES, VIEWERS, GridState, back_to, engagement_page, plan_fragment, refused, submitted
from . import services as plan
from .forms import levels_form

bp = Blueprint("engagement_plan", __name__, url_prefix="/engagements/<int:engagement_id>")


@bp.route("/plan", methods=["POST"])
@roles(*PARTIES)
@validates_csrf_in_form
def add(engagement_id: int):
    """Add a skill to the plan for the chosen team members."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("plan_form", seat.engagement, plan.team_members(seat.engagement))
    if form.validate_on_submit():
        data = plan.NewPlanItems(
            form.skill.data, tuple(form.team_member_ids.data), form.baseline.data, form.target.data
        )
        try:
            added, skipped = plan.add_items(seat.engagement, data, actor=current_user)
        except services.WrongStage as error:
            return refused(engagement_id, error, "plan")
        except services.EngagementError as error:
            form.skill.errors.append(str(error))
        else:
            _flash_added(added, skipped)
            return back_to(engagement_id, "plan")
    return engagement_page(seat, status=422, plan_form=form)


def _flash_added(added, skipped: list[str]) -> None:
    if added:
        flash(f"Added to the plan for {', '.join(item.team_member.name for item in added)}.", "success")
    if skipped:
        flash(f"Already in the plan for {', '.join(skipped)}: kept as it was.", "info")


@bp.route("/plan/from-need", methods=["POST"])
@roles(*PARTIES)
def fill_from_need(engagement_id: int):
    """Fill an empty plan with the need's skills for every team member."""
    seat = services.engagement_for(current_user, engagement_id)
    try:
        added = plan.fill_from_need(seat.engagement, actor=current_user)
        flash(
            f"{added} plan items added from the need's skills." if added else "The plan already has them all.",
            "success" if added else "info",
        )
    except services.EngagementError as error:
        flash(str(error), "error")
    return back_to(engagement_id, "plan")


@bp.route("/plan")
@roles(*VIEWERS)
def section(engagement_id: int):
    """The plan section as it is (htmx puts it back after "Cancel"); the page otherwise."""
    seat = services.engagement_for(current_user, engagement_id)
    if is_fragment_request():
        return plan_fragment(seat)
    return back_to(engagement_id, "plan")


@bp.route("/plan/final-levels", methods=["GET", "POST"])
@roles(*PARTIES)
def final_levels(engagement_id: int):
    """Every final level of the plan in one form, saved in one request."""
    seat = services.engagement_for(current_user, engagement_id)
    if request.method == "GET":
        return _plan_view(seat, GridState(editing=True))
    typed = {item.id: request.form.get(f"final-{item.id}", "") for item in seat.engagement.plan_items}
    try:
        changed = plan.set_final_levels(seat.engagement, _levels(typed), actor=current_user)
    except services.WrongStage as error:
        return refused(engagement_id, error, "plan")
    except (services.EngagementError, ValueError) as error:
        message = (
            str(error) if isinstance(error, services.EngagementError) else "Levels go from 1 (aware) to 5 (expert)."
        )
        return _plan_view(seat, GridState(editing=True, errors=(message,), typed=typed), status=422)
    notice = _saved_notice(changed, proposed=seat.capacity is not services.Capacity.LEADER)
    if is_fragment_request():
        return plan_fragment(seat, GridState(notice=notice))
    flash(notice, "success")
    return back_to(engagement_id, "plan")


def _saved_notice(changed: int, *, proposed: bool) -> str:
    """What a save of the grid did, in words; a freelancer's levels are proposals."""
    levels = f"{changed} final level{'s' if changed != 1 else ''}"
    if proposed:
        return (
            f"Proposed {levels}: the team's leader confirms {'it' if changed == 1 else 'them'}."
            if changed
            else "No proposal changed."
        )
    return f"Saved {levels}." if changed else "No final level changed."


def _levels(typed: dict[int, str]) -> dict[int, int | None]:
    """The levels as sent: "" is not assessed; anything but 1-5 raises ValueError."""
    return {item_id: int(value) if value else None for item_id, value in typed.items()}


def _plan_view(seat: services.Seat, grid: GridState, status: int = 200):
    if is_fragment_request():  # a 422 is swapped too (base.html's htmx responseHandling)
        return plan_fragment(seat, grid), status
    return engagement_page(seat, status=status, grid=grid)


@bp.route("/plan/<int:item_id>")
@roles(*VIEWERS)
def row(engagement_id: int, item_id: int):
    """One plan row as it is (htmx puts it back after Cancel); the page otherwise."""
    seat = services.engagement_for(current_user, engagement_id)
    item = plan.plan_item(seat.engagement, item_id)
    if is_fragment_request():
        return render_template("engagements/_plan_row.html", item=item, seat=seat, engagement=seat.engagement)
    return back_to(engagement_id, f"plan-item-{item.id}")


@bp.route("/plan/<int:item_id>/edit")
@roles(*PARTIES)
def edit(engagement_id: int, item_id: int):
    """One plan row as a form, in place (a page without JavaScript)."""
    seat = services.engagement_for(current_user, engagement_id)
    item = plan.plan_item(seat.engagement, item_id)
    if not seat.can_edit:
        flash(f"This engagement is {seat.engagement.status.value}: its record can't be changed any more.", "error")
        return back_to(engagement_id, "plan")
    return _row_form(seat, item, levels_form(item))


def _row_form(seat: services.Seat, item, form, status: int = 200):
    if is_fragment_request():
        return render_template(
            "engagements/_plan_row_form.html", item=item, form=form, seat=seat, engagement=seat.engagement
        ), status
    return engagement_page(seat, status=status, editing=(item.id, form))


@bp.route("/plan/<int:item_id>", methods=["POST"])
@roles(*PARTIES)
@validates_csrf_in_form
def save(engagement_id: int, item_id: int):
    """Save one plan row's levels; a freelancer's final level is kept as a proposal."""
    seat = services.engagement_for(current_user, engagement_id)
    item = plan.plan_item(seat.engagement, item_id)
    form = levels_form(item, formdata=True)
    if form.validate_on_submit():
        try:
            proposed = plan.update_levels(
                seat.engagement,
                item,
                plan.Levels(form.baseline.data, form.target.data, form.final.data),
                actor=current_user,
            )
        except services.EngagementError as error:
            form.final.errors.append(str(error))
        else:
            if is_fragment_request():
                return render_template("engagements/_plan_row.html", item=item, seat=seat, engagement=seat.engagement)
            flash(
                f"Saved: {item.team_member.name} · {item.skill_label}"
                f"{'; the final level is proposed to the team’s leader' if proposed else ''}.",
                "success",
            )
            return back_to(engagement_id, f"plan-item-{item.id}")
    return _row_form(seat, item, form, status=422)


@bp.route("/plan/<int:item_id>/remove", methods=["POST"])
@roles(*PARTIES)
def remove(engagement_id: int, item_id: int):
    """Remove a plan item."""
    seat = services.engagement_for(current_user, engagement_id)
    item = plan.plan_item(seat.engagement, item_id)
    try:
        plan.remove_item(seat.engagement, item, actor=current_user)
        flash(f"Removed from the plan: {item.team_member.name} · {item.skill_label}.", "success")
    except services.EngagementError as error:
        flash(str(error), "error")
    return back_to(engagement_id, "plan")


@bp.route("/team-members", methods=["POST"])
@roles(*PARTIES)
@validates_csrf_in_form
def add_member(engagement_id: int):
    """Add a team member to the engagement's team (the leader keeps the roster)."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("member_form", seat.engagement, [])
    if form.validate_on_submit():
        data = plan.NewTeamMember(form.name.data, form.role_title.data or "", form.email.data or None)
        try:
            member = plan.add_team_member(seat.engagement, data, actor=current_user)
            flash(f"{member.name} joined {seat.engagement.need.team.name}.", "success")
            return back_to(engagement_id, "team")
        except services.WrongStage as error:
            return refused(engagement_id, error, "team")
        except services.EngagementError as error:
            form.name.errors.append(str(error))
    return engagement_page(seat, status=422, member_form=form)
