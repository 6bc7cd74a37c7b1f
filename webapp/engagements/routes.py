"""Engagements: the list, the page, the lifecycle, dates, milestones, reviews and rating."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request
from flask_login import current_user

from ..access import roles, validates_csrf_in_form
from ..home.news import engagements_with_news
from ..htmx import is_fragment_request
from ..models import EngagementStatus, MilestoneStatus, Role
from . import reviews, services
from .page import PARTIES, VIEWERS, back_to, engagement_page, refused, submitted, timeline_fragment
from .plan.services import team_members

bp = Blueprint("engagements", __name__, url_prefix="/engagements")
STATUS_WORDS = {"active": "started", "completed": "completed", "cancelled": "cancelled"}


@bp.route("/")
@roles(*VIEWERS)
def index():
    """The engagements the viewer takes part in or oversees, by status."""
    return render_template(
        "engagements/index.html",
        engagements=services.engagements_for(current_user),
        with_news=engagements_with_news(current_user),
    )


@bp.route("/<int:engagement_id>")
@roles(*VIEWERS)
def show(engagement_id: int):
    """The engagement page: indicators, plan, sessions, check-ins, follow-up and timeline."""
    return engagement_page(services.engagement_for(current_user, engagement_id))


@bp.route("/<int:engagement_id>/timeline")
@roles(*VIEWERS)
def timeline(engagement_id: int):
    """The timeline narrowed to one kind of entry: the section for htmx, the whole page otherwise."""
    seat = services.engagement_for(current_user, engagement_id)
    kind = request.args.get("kind", "")
    if is_fragment_request():
        return timeline_fragment(seat, kind)
    return engagement_page(seat, timeline_kind=kind)


# Where each form of the page posts to, and the section it belongs to. A form that fails is shown
# again at its POST address; opening that address again (reload, back, a copied link) must not
# give 405, so a GET of it goes back to the engagement, at the form's section.
# (The plan's own address is engagement_plan.section.)
FORM_SECTIONS = {
    "team-members": "team",
    "sessions": "sessions",
    "artifacts": "artifacts",
    "checkins": "checkins",
    "details": "details",
    "milestones": "details",
    "review": "reviews",
    "rating": "reviews",
    "status": "status",
}


@bp.route(
    '/<int:engagement_id>/<any("team-members", sessions, artifacts, checkins, details, milestones, '
    "review, rating, status):form_address>"
)
@roles(*VIEWERS)
def form_address(engagement_id: int, form_address: str):
    """A form's address opened with GET: the engagement page, at that form."""
    services.engagement_for(current_user, engagement_id)
    return back_to(engagement_id, FORM_SECTIONS[form_address])


@bp.route("/<int:engagement_id>/status", methods=["POST"])
@roles(*PARTIES)
def change_status(engagement_id: int):
    """Move the engagement on (start, complete) or cancel it with a reason."""
    seat = services.engagement_for(current_user, engagement_id)
    try:
        new = EngagementStatus(request.form.get("status", ""))
        services.change_status(
            seat.engagement, new, actor=current_user, reason=request.form.get("reason", "").strip()[:500]
        )
        flash(f"The engagement is {STATUS_WORDS.get(new.value, new.value)}.", "success")
    except ValueError:
        flash("Unknown status.", "error")
    except services.EngagementError as error:
        flash(str(error), "error")
    return back_to(engagement_id)


@bp.route("/<int:engagement_id>/details", methods=["POST"])
@roles(*PARTIES)
@validates_csrf_in_form
def details(engagement_id: int):
    """Change the engagement's dates and agreed hours."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("details_form", seat.engagement, [])
    if form.validate_on_submit():
        data = services.Details(form.start_date.data, form.end_date.data, form.agreed_hours.data)
        try:
            services.save_details(seat.engagement, data, actor=current_user)
            flash("Dates and hours saved.", "success")
            return back_to(engagement_id, "details")
        except services.WrongStage as error:
            return refused(engagement_id, error, "details")
        except services.EngagementError as error:
            form.end_date.errors.append(str(error))
    return engagement_page(seat, status=422, details_form=form)


@bp.route("/<int:engagement_id>/milestones", methods=["POST"])
@roles(*PARTIES)
@validates_csrf_in_form
def add_milestone(engagement_id: int):
    """Add a milestone with its due date."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("milestone_form", seat.engagement, [])
    if form.validate_on_submit():
        try:
            services.add_milestone(seat.engagement, form.title.data, form.due_date.data, actor=current_user)
            flash("Milestone added.", "success")
            return back_to(engagement_id, "details")
        except services.WrongStage as error:
            return refused(engagement_id, error, "details")
        except services.EngagementError as error:
            form.title.errors.append(str(error))
    return engagement_page(seat, status=422, milestone_form=form)


@bp.route("/<int:engagement_id>/milestones/<int:milestone_id>", methods=["POST"])
@roles(*PARTIES)
def milestone_status(engagement_id: int, milestone_id: int):
    """Mark a milestone done or reopen it."""
    seat = services.engagement_for(current_user, engagement_id)
    try:
        status = MilestoneStatus(request.form.get("status", ""))
        services.set_milestone_status(seat.engagement, milestone_id, status, actor=current_user)
        flash("Milestone updated.", "success")
    except ValueError:
        flash("Unknown milestone status.", "error")
    except services.EngagementError as error:
        flash(str(error), "error")
    return back_to(engagement_id, "details")


@bp.route("/<int:engagement_id>/review", methods=["POST"])
@roles(*PARTIES)
@validates_csrf_in_form
def review(engagement_id: int):
    """The leader's or the freelancer's written review of the engagement."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("review_form", seat.engagement, [])
    if form.validate_on_submit():
        try:
            reviews.write_review(seat.engagement, form.text.data, actor=current_user)
            flash("Thank you: your review is part of the record.", "success")
            return back_to(engagement_id, "reviews")
        except services.WrongStage as error:
            return refused(engagement_id, error, "reviews")
    return engagement_page(seat, status=422, review_form=form)


@bp.route("/<int:engagement_id>/rating", methods=["POST"])
@roles(Role.PROGRAM_MANAGER, Role.ADMIN)
@validates_csrf_in_form
def rate(engagement_id: int):
    """The program manager's or leader's outcome rating of a completed engagement."""
    seat = services.engagement_for(current_user, engagement_id)
    form = submitted("rating_form", seat.engagement, team_members(seat.engagement))
    if form.validate_on_submit():
        try:
            reviews.rate_outcome(seat.engagement, form.rating.data, actor=current_user)
            flash("Outcome rating saved.", "success")
            return back_to(engagement_id, "reviews")
        except services.WrongStage as error:
            return refused(engagement_id, error, "reviews")
        except services.EngagementError as error:
            form.rating.errors.append(str(error))
    return engagement_page(seat, status=422, rating_form=form)
