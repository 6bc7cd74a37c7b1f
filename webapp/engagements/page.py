"""The engagement page, shared by every blueprint that answers from it: who may open it and who
may change it, the redirect back to one of its sections, its forms (each with a prefix, so field
names never clash), and one call to show the page again with a failed form's errors and typed
values."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import flash, redirect, render_template, url_for
from flask_wtf import FlaskForm

from ..forms_common import options
from ..models import Engagement, Role, TeamMember
from . import forms
from .activity import forms as activity_forms
from .overview import Overview, overview
from .plan import forms as plan_forms
from .plan.services import plan_grid
from .reviews import review_of
from .services import EngagementError, Seat
from .timeline import KINDS, filtered_timeline

VIEWERS = (Role.LEADER, Role.FREELANCER, Role.PROGRAM_MANAGER, Role.ADMIN)  # who may open the page
PARTIES = (Role.LEADER, Role.FREELANCER)  # who may change the engagement

PREFIXES = {
    "plan_form": ("plan", plan_forms.PlanItemsForm),
    "member_form": ("member", plan_forms.TeamMemberForm),
    "session_form": ("session", activity_forms.SessionForm),
    "artifact_form": ("artifact", activity_forms.ArtifactForm),
    "details_form": ("details", forms.DetailsForm),
    "milestone_form": ("milestone", forms.MilestoneForm),
    "round_form": ("round", activity_forms.CheckinRoundForm),
    "review_form": ("review", forms.ReviewForm),
    "rating_form": ("rating", forms.RatingForm),
}


def back_to(engagement_id: int, section: str = ""):
    """A redirect to the engagement page, at one of its sections."""
    return redirect(url_for("engagements.show", engagement_id=engagement_id, _anchor=section or None))


def refused(engagement_id: int, error: EngagementError, section: str = ""):
    """A refusal about the engagement's stage goes above the page: its form may not be shown."""
    flash(str(error), "error")
    return back_to(engagement_id, section)


def submitted(name: str, engagement: Engagement, members: list[TeamMember]) -> FlaskForm:
    """The named form, read from the request, with its choices filled in."""
    prefix, form_class = PREFIXES[name]
    return with_choices(form_class(prefix=prefix), engagement, members)


def with_choices(form: FlaskForm, engagement: Engagement, members: list[TeamMember]) -> FlaskForm:
    """Fills the people and plan-item choices."""
    people = options((member.id, member.name) for member in members)
    for field_name in ("team_member_ids", "attendee_ids"):
        if hasattr(form, field_name):
            getattr(form, field_name).choices = people
    if hasattr(form, "plan_item_ids"):
        form.plan_item_ids.choices = options(
            (item.id, f"{item.team_member.name} · {item.skill_label}") for item in engagement.plan_items
        )
    return form


def blank_forms(view: Overview) -> dict[str, FlaskForm]:
    engagement = view.seat.engagement
    blank = {
        name: with_choices(form_class(formdata=None, prefix=prefix), engagement, view.members)
        for name, (prefix, form_class) in PREFIXES.items()
    }
    blank["details_form"] = forms.DetailsForm(formdata=None, obj=engagement, prefix="details")
    blank["plan_form"].team_member_ids.data = [member.id for member in view.members]
    return blank


@dataclass(frozen=True)
class GridState:
    """How the plan's grid shows: read only, or with every final level editable at once."""

    editing: bool = False
    notice: str = ""  # what the last save did, said inside the plan section
    errors: tuple[str, ...] = ()
    typed: dict = field(default_factory=dict)  # item id -> the value sent, kept after an error


def engagement_page(
    seat: Seat,
    *,
    status: int = 200,
    editing: tuple[int, FlaskForm] | None = None,
    grid: GridState = GridState(),
    timeline_kind: str = "",
    **failed: FlaskForm,
):
    """The full page; a form passed in replaces its blank twin, errors and typed values kept.
    `editing` shows one plan row as a form (the no-JavaScript way to edit it in place)."""
    return render_template("engagements/show.html", **_context(seat, editing, grid, timeline_kind, failed)), status


def plan_fragment(seat: Seat, grid: GridState = GridState()) -> str:
    """The plan section alone (htmx), with the indicators and charts that depend on it, out of band."""
    return render_template("engagements/_plan_fragment.html", **_context(seat, None, grid, "", {}))


def timeline_fragment(seat: Seat, kind: str) -> str:
    view = overview(seat)
    return render_template(
        "engagements/_timeline.html",
        view=view,
        engagement=seat.engagement,
        timeline=filtered_timeline(view.timeline, kind),
        timeline_kind=kind,
        timeline_kinds=KINDS,
    )


def _context(seat: Seat, editing, grid: GridState, timeline_kind: str, failed: dict) -> dict:
    view = overview(seat)
    return dict(
        view=view,
        seat=seat,
        engagement=seat.engagement,
        forms=blank_forms(view) | failed,
        my_review=review_of(seat.engagement, seat.capacity),
        editing=editing,
        grid=grid,
        plan_grid=plan_grid(seat.engagement),
        timeline=filtered_timeline(view.timeline, timeline_kind),
        timeline_kind=timeline_kind,
        timeline_kinds=KINDS,
    )
