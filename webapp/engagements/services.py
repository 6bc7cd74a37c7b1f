"""Who may see and change an engagement, and its lifecycle: status, dates, hours, milestones.

A leader of the need's team, the organisation's program managers and the engagement's freelancer
see it (webapp/scope.py); anyone else gets a 404 (no hint it exists). Only the leader and the freelancer change
it, and only while it is proposed or active; a program manager only rates the outcome.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit import record
from ..extensions import db
from ..models import (
    CheckinRound,
    Engagement,
    EngagementSession,
    EngagementStatus,
    FreelancerProfile,
    Milestone,
    MilestoneStatus,
    Need,
    Role,
    TransferPlanItem,
    User,
    utcnow,
)
from ..scope import led_team_ids, sees_team

ACTIVE, PROPOSED = EngagementStatus.ACTIVE, EngagementStatus.PROPOSED
OPEN_STATES = frozenset({PROPOSED, ACTIVE})

TRANSITIONS = {
    PROPOSED: (ACTIVE, EngagementStatus.CANCELLED),
    ACTIVE: (EngagementStatus.COMPLETED, EngagementStatus.CANCELLED),
    EngagementStatus.COMPLETED: (),
    EngagementStatus.CANCELLED: (),
}


class EngagementError(Exception):
    """A change the engagement's state or the input doesn't allow; the message is for people."""


class WrongStage(EngagementError):
    """Refused because of where the engagement stands (not started, finished, already done), not
    because of what was typed: routes say it above the page, since the form may be gone."""


class Capacity(enum.Enum):
    """In which capacity someone looks at an engagement."""

    LEADER = "leader"
    FREELANCER = "freelancer"
    PROGRAM_MANAGER = "program_manager"

    @property
    def edits(self) -> bool:
        return self is not Capacity.PROGRAM_MANAGER


def capacity_of(viewer: User, engagement: Engagement) -> Capacity | None:
    if viewer.role is Role.FREELANCER:
        return Capacity.FREELANCER if engagement.profile.user_id == viewer.id else None
    if not sees_team(viewer, engagement.need.organisation_id, engagement.need.team_id):
        return None
    if viewer.role is Role.LEADER:
        return Capacity.LEADER
    # Admins of the organisation see what its program managers see.
    return Capacity.PROGRAM_MANAGER if viewer.role in (Role.PROGRAM_MANAGER, Role.ADMIN) else None


@dataclass(frozen=True)
class Seat:
    """An engagement as one viewer sees it."""

    engagement: Engagement
    capacity: Capacity

    @property
    def can_edit(self) -> bool:
        return self.capacity.edits and self.engagement.status in OPEN_STATES


def engagement_for(viewer: User, engagement_id: int) -> Seat:
    """The engagement and the viewer's capacity; 404 for anyone who may not see it."""
    engagement = db.session.scalar(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .options(
            selectinload(Engagement.need).selectinload(Need.team),
            selectinload(Engagement.profile).selectinload(FreelancerProfile.user),
            selectinload(Engagement.plan_items).selectinload(TransferPlanItem.team_member),
            selectinload(Engagement.sessions).selectinload(EngagementSession.plan_items),
            selectinload(Engagement.sessions).selectinload(EngagementSession.attendees),
            selectinload(Engagement.checkin_rounds).selectinload(CheckinRound.responses),
            selectinload(Engagement.checkin_rounds).selectinload(CheckinRound.invites),
        )
    )
    if engagement is None or (capacity := capacity_of(viewer, engagement)) is None:
        abort(404)
    return Seat(engagement, capacity)


def engagements_for(viewer: User) -> list[Engagement]:
    """A freelancer's own engagements, or those in the viewer's scope; newest first."""
    query = select(Engagement).join(Engagement.need).join(Engagement.profile)
    if viewer.role is Role.FREELANCER:
        query = query.where(FreelancerProfile.user_id == viewer.id)
    else:
        query = query.where(Need.organisation_id == viewer.organisation_id)
        if (led := led_team_ids(viewer)) is not None:
            query = query.where(Need.team_id.in_(led))
    return list(
        db.session.scalars(
            query.options(
                selectinload(Engagement.need).selectinload(Need.team),
                selectinload(Engagement.profile).selectinload(FreelancerProfile.user),
            ).order_by(Engagement.created_at.desc(), Engagement.id.desc())
        )
    )


def require_party(engagement: Engagement, actor: User) -> Capacity:
    """The actor's capacity if they are the leader or the freelancer; 404 or 403 otherwise."""
    capacity = capacity_of(actor, engagement)
    if capacity is None:
        abort(404)
    if not capacity.edits:
        abort(403)
    return capacity


def require_editor(engagement: Engagement, actor: User) -> Capacity:
    """The actor's capacity if they may change the engagement now; 404/403 or a clear refusal."""
    capacity = require_party(engagement, actor)
    if engagement.status not in OPEN_STATES:
        raise WrongStage(f"This engagement is {engagement.status.value}: its record can't be changed any more.")
    return capacity


def require_active(engagement: Engagement, doing: str) -> None:
    if engagement.status is not ACTIVE:
        raise WrongStage(f"Start the engagement before {doing}: it is {engagement.status.value}.")


def change_status(engagement: Engagement, new: EngagementStatus, *, actor: User, reason: str = "") -> None:
    """Moves the engagement along proposed → active → completed (or cancelled), recorded."""
    require_party(engagement, actor)
    if new not in TRANSITIONS[engagement.status]:
        raise EngagementError(f"A {engagement.status.value} engagement can't be moved to {new.value}.")
    if new is ACTIVE:
        _check_can_start(engagement)
    if new is EngagementStatus.COMPLETED:
        _check_can_complete(engagement)
    old = engagement.status
    engagement.status = new
    if new in (EngagementStatus.COMPLETED, EngagementStatus.CANCELLED):
        from .checkins.services import close_open_rounds  # here: check-ins build on this module (a cycle)

        close_open_rounds(engagement, utcnow())  # its links stop working with it
    detail = {"reason": reason} if reason else {}
    record(actor, "engagement", engagement.id, "status_changed", from_state=old.value, to_state=new.value, **detail)
    db.session.commit()


def _check_can_start(engagement: Engagement) -> None:
    if not engagement.plan_items:
        raise EngagementError("Agree at least one item of the knowledge-transfer plan before starting.")
    if engagement.start_date is None:
        engagement.start_date = date.today()


def _check_can_complete(engagement: Engagement) -> None:
    missing = [
        f"{item.team_member.name}: {item.skill_label}" for item in engagement.plan_items if item.final_level is None
    ]
    if missing:
        raise EngagementError("Record every final level before completing. Missing: " + "; ".join(missing) + ".")
    engagement.completed_at = utcnow()
    if engagement.end_date is None:
        engagement.end_date = date.today()


@dataclass(frozen=True)
class Details:
    start_date: date | None
    end_date: date | None
    agreed_hours: int | None


def save_details(engagement: Engagement, details: Details, *, actor: User) -> None:
    require_editor(engagement, actor)
    if details.start_date and details.end_date and details.end_date < details.start_date:
        raise EngagementError("The end date can't be before the start date.")
    changes: dict[str, Any] = {  # the audit row's detail: [before, after] by field
        name: [_text(getattr(engagement, name)), _text(getattr(details, name))]
        for name in ("start_date", "end_date", "agreed_hours")
        if getattr(engagement, name) != getattr(details, name)
    }
    if not changes:
        return
    for name in changes:
        setattr(engagement, name, getattr(details, name))
    record(actor, "engagement", engagement.id, "details_changed", **changes)
    db.session.commit()


def _text(value) -> str | None:
    return None if value is None else str(value)


def add_milestone(engagement: Engagement, title: str, due_date: date | None, *, actor: User) -> Milestone:
    require_editor(engagement, actor)
    milestone = Milestone(engagement=engagement, title=title, due_date=due_date)
    db.session.add(milestone)
    db.session.flush()
    record(actor, "engagement", engagement.id, "milestone_added", title=title, due_date=_text(due_date))
    db.session.commit()
    return milestone


def set_milestone_status(engagement: Engagement, milestone_id: int, status: MilestoneStatus, *, actor: User) -> None:
    require_editor(engagement, actor)
    milestone = next((m for m in engagement.milestones if m.id == milestone_id), None)
    if milestone is None:
        abort(404)
    if milestone.status is status:
        return
    old, milestone.status = milestone.status, status
    record(
        actor,
        "engagement",
        engagement.id,
        "milestone_changed",
        from_state=old.value,
        to_state=status.value,
        title=milestone.title,
    )
    db.session.commit()
