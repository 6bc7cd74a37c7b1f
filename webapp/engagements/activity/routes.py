"""Sessions, artifacts and check-in rounds, logged from the engagement page."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request
from flask_login import current_user

from ...access import roles, validates_csrf_in_form
from ...htmx import is_fragment_request
from ...models import ArtifactKind, Role, SessionKind
from .. import services
from ..checkins import services as checkins
from ..page import PARTIES, back_to, engagement_page, refused, submitted
from ..plan.services import team_members
from . import services as activity

bp = Blueprint("engagement_log", __name__, url_prefix="/engagements/<int:engagement_id>")


@bp.route("/sessions", methods=["POST"])
@roles(*PARTIES)
@validates_csrf_in_form
def log_session(engagement_id: int):
    """Log a session held: its kind, date, length, who attended and the plan items it served."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("session_form", seat.engagement, team_members(seat.engagement))
    if form.validate_on_submit():
        data = activity.NewSession(
            kind=SessionKind(form.kind.data),
            held_on=form.held_on.data,
            minutes=form.minutes.data,
            attendee_ids=tuple(form.attendee_ids.data or ()),
            plan_item_ids=tuple(form.plan_item_ids.data or ()),
            notes=form.notes.data or "",
        )
        try:
            activity.log_session(seat.engagement, data, actor=current_user)
            flash("Session logged.", "success")
            return back_to(engagement_id, "sessions")
        except services.WrongStage as error:
            return refused(engagement_id, error, "sessions")
        except services.EngagementError as error:
            form.held_on.errors.append(str(error))
    return engagement_page(seat, status=422, session_form=form)


@bp.route("/artifacts", methods=["POST"])
@roles(*PARTIES)
@validates_csrf_in_form
def add_artifact(engagement_id: int):
    """Add an artifact the engagement produced (a runbook, a prompt library, a model)."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("artifact_form", seat.engagement, [])
    if form.validate_on_submit():
        data = activity.NewArtifact(ArtifactKind(form.kind.data), form.title.data, form.url.data)
        try:
            activity.add_artifact(seat.engagement, data, actor=current_user)
            flash("Artifact added.", "success")
            return back_to(engagement_id, "artifacts")
        except services.WrongStage as error:
            return refused(engagement_id, error, "artifacts")
        except services.EngagementError as error:
            form.url.errors.append(str(error))
    return engagement_page(seat, status=422, artifact_form=form)


@bp.route("/artifacts/<int:artifact_id>/ownership", methods=["POST"])
@roles(*PARTIES)
def artifact_ownership(engagement_id: int, artifact_id: int):
    """Mark an artifact as owned by the team, or hand it back."""
    seat = services.engagement_for(current_user, engagement_id)
    artifact = activity.artifact_of(seat.engagement, artifact_id)
    try:
        activity.set_ownership(seat.engagement, artifact, request.form.get("team_owned") == "1", actor=current_user)
    except services.EngagementError as error:
        flash(str(error), "error")
    if is_fragment_request():
        return render_template("engagements/_artifact.html", artifact=artifact, seat=seat, engagement=seat.engagement)
    return back_to(engagement_id, f"artifact-{artifact.id}")


@bp.route("/checkins", methods=["POST"])
@roles(Role.LEADER)
@validates_csrf_in_form
def open_round(engagement_id: int):
    """Open a check-in round: each team member gets their own link by e-mail."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("round_form", seat.engagement, [])
    if form.validate_on_submit():
        try:
            checkin = checkins.open_round(seat.engagement, actor=current_user, days=form.days.data)
        except services.WrongStage as error:
            return refused(engagement_id, error, "checkins")
        except services.EngagementError as error:
            form.days.errors.append(str(error))
        else:
            flash(
                f"Check-in open: {len(checkin.invites)} members of {seat.engagement.need.team.name} got their own "
                "link by e-mail. Only the number of answers shows here, never who answered.",
                "success",
            )
            return back_to(engagement_id, "checkins")
    return engagement_page(seat, status=422, round_form=form)


@bp.route("/checkins/<int:round_id>/close", methods=["POST"])
@roles(Role.LEADER)
def close_round(engagement_id: int, round_id: int):
    """Close the open check-in round early; its results show from 3 answers."""
    seat = services.engagement_for(current_user, engagement_id)
    try:
        checkins.close_round(seat.engagement, round_id, actor=current_user)
        flash("Check-in round closed: unused links no longer work.", "success")
    except services.EngagementError as error:
        flash(str(error), "error")
    return back_to(engagement_id, "checkins")
