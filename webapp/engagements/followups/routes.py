"""Follow-ups: the public page a team member opens from their e-mailed link, and the leader's
actions on the engagement page (open now, close, record assessed levels). A forged, used-up or
expired link gets the same neutral page as a check-in link."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request
from flask_login import current_user

from ...access import public, roles, validates_csrf_in_form
from ...models import Role
from ...security import limiter
from .. import services
from ..links import LINK_LIMIT, private
from ..page import back_to, engagement_page, refused
from . import services as followups
from .forms import followup_form

bp = Blueprint("followups", __name__, url_prefix="/followup")
leader_bp = Blueprint("engagement_followup", __name__, url_prefix="/engagements/<int:engagement_id>/followup")


@bp.route("/<followup_token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
@public
@validates_csrf_in_form
def answer(followup_token: str):
    """A team member's follow-up: their own level today on each of the plan's skills, through a one-use link."""
    token = followup_token
    about = followups.link_context(token)
    if about is None:
        return private(render_template("checkins/unavailable.html"), 404)
    form = followup_form(about.skills)
    if form.validate_on_submit():
        levels = {skill: form[f"skill_{i}"].data for i, skill in enumerate(about.skills)}
        try:
            followups.answer(token, levels)
        except followups.LinkUnusable:
            return private(render_template("checkins/used.html"), 410)
        return private(render_template("checkins/thanks.html"), 200)
    status = 422 if form.errors else 200
    fields = [form[f"skill_{i}"] for i in range(len(about.skills))]
    return private(render_template("followups/form.html", form=form, fields=fields, about=about), status)


@leader_bp.route("/open", methods=["POST"])
@roles(Role.LEADER)
def open_now(engagement_id: int):
    """Open the follow-up before it is due (the leader)."""
    seat = services.engagement_for(current_user, engagement_id)
    try:
        opened = followups.open_now(seat.engagement, actor=current_user)
    except services.EngagementError as error:
        return refused(engagement_id, error, "followup")
    flash(f"Follow-up open: {len(opened.invites)} team members on the plan got their own link by e-mail.", "success")
    return back_to(engagement_id, "followup")


@leader_bp.route("/close", methods=["POST"])
@roles(Role.LEADER)
def close(engagement_id: int):
    """Close the follow-up; self-ratings show from 3 per skill once it is closed."""
    seat = services.engagement_for(current_user, engagement_id)
    try:
        followups.close_followup(seat.engagement, actor=current_user)
        flash("Follow-up closed: unused links no longer work.", "success")
    except services.EngagementError as error:
        flash(str(error), "error")
    return back_to(engagement_id, "followup")


@leader_bp.route("/levels", methods=["POST"])
@roles(Role.LEADER)
def levels(engagement_id: int):
    """Every assessed level at follow-up in one form (fields assessed-<item id>, "" for none)."""
    seat = services.engagement_for(current_user, engagement_id)
    typed = {item.id: request.form.get(f"assessed-{item.id}", "") for item in seat.engagement.plan_items}
    try:
        changed = followups.set_followup_levels(seat.engagement, _levels(typed), actor=current_user)
    except services.WrongStage as error:
        return refused(engagement_id, error, "followup")
    except (services.EngagementError, ValueError) as error:
        message = (
            str(error) if isinstance(error, services.EngagementError) else "Levels go from 1 (aware) to 5 (expert)."
        )
        flash(message, "error")
        return engagement_page(seat, status=422)
    flash(
        f"Saved {changed} assessed level{'s' if changed != 1 else ''}." if changed else "No assessed level changed.",
        "success",
    )
    return back_to(engagement_id, "followup")


def _levels(typed: dict[int, str]) -> dict[int, int | None]:
    """ "" is not assessed; anything that is not a whole number raises ValueError."""
    return {item_id: int(value) if value.strip() else None for item_id, value in typed.items()}
