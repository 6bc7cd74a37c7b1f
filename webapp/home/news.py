"""What happened since the viewer's previous sign-in: counts for each home's "what's new" and for
the menu. Check-ins are only ever counted in aggregate, never by person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select

from ..extensions import db
from ..models import (
    AuditEvent,
    CheckinRound,
    Engagement,
    EngagementStatus,
    FreelancerProfile,
    Interest,
    Invitation,
    InvitationStatus,
    Need,
    Role,
    User,
    utcnow,
)
from ..request_memo import once_per_request

FIRST_VISIT_WINDOW = timedelta(days=14)  # what counts as new for someone who never signed in before
PLAN_ACTIONS = (
    "plan_item_added",
    "plan_item_changed",
    "plan_item_removed",
    "plan_item_proposed",
    "plan_filled_from_need",
)


@dataclass(frozen=True)
class NewsItem:
    count: int
    text: str
    endpoint: str
    anchor: str | None = None
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class News:
    since: datetime
    first_visit: bool
    items: list[NewsItem]


def since(viewer: User) -> datetime:
    """The viewer's previous sign-in, or a fortnight ago when there was none."""
    if viewer.previous_login_at is None:
        return utcnow() - FIRST_VISIT_WINDOW
    return viewer.previous_login_at


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def whats_new(viewer: User) -> News:
    """The counts that matter to the viewer's role; items with nothing to count are left out."""
    start = since(viewer)
    builders = {Role.LEADER: _leader_news, Role.FREELANCER: _freelancer_news}
    items = builders.get(viewer.role, _manager_news)(viewer, start)
    return News(start, viewer.previous_login_at is None, [item for item in items if item.count])


def _leader_news(viewer: User, start: datetime) -> list[NewsItem]:
    accepted, declined = _answered_invitations(viewer, start)
    interested = _count(
        select(func.count(Interest.id))
        .join(Need, Interest.need_id == Need.id)
        .where(Need.organisation_id == viewer.organisation_id, Interest.created_at >= start)
    )
    return [
        NewsItem(accepted, plural(accepted, "invitation accepted", "invitations accepted"), "engagements.index"),
        NewsItem(declined, plural(declined, "invitation declined", "invitations declined"), "needs.index"),
        NewsItem(
            interested,
            plural(interested, "freelancer said they are interested", "freelancers said they are interested"),
            "needs.index",
        ),
        *_engagement_news(viewer, start),
    ]


def _freelancer_news(viewer: User, start: datetime) -> list[NewsItem]:
    waiting = waiting_invitations(viewer)
    new = _count(
        select(func.count(Invitation.id))
        .join(Invitation.profile)
        .where(
            FreelancerProfile.user_id == viewer.id,
            Invitation.status == InvitationStatus.SENT,
            Invitation.created_at >= start,
        )
    )
    text = plural(waiting, "invitation waits for your answer", "invitations wait for your answer")
    if new:
        text += f" ({new} new)"
    return [NewsItem(waiting, text, "profiles.my_invitations"), *_engagement_news(viewer, start)]


def _manager_news(viewer: User, start: datetime) -> list[NewsItem]:
    to_rate = _count(
        select(func.count(Engagement.id)).where(
            Engagement.id.in_(_engagements_of(viewer)),
            Engagement.status == EngagementStatus.COMPLETED,
            Engagement.outcome_rating.is_(None),
        )
    )
    started = _count(
        select(func.count(AuditEvent.id)).where(
            *_engagement_events(viewer, start), AuditEvent.action == "status_changed", AuditEvent.to_state == "active"
        )
    )
    return [
        NewsItem(
            to_rate,
            plural(to_rate, "completed engagement to rate", "completed engagements to rate"),
            "engagements.index",
        ),
        NewsItem(started, plural(started, "engagement started", "engagements started"), "engagements.index"),
        *_checkin_news(viewer, start),
    ]


def _engagement_news(viewer: User, start: datetime) -> list[NewsItem]:
    proposed = _count(
        select(func.count(Engagement.id)).where(
            Engagement.id.in_(_engagements_of(viewer)), Engagement.status == EngagementStatus.PROPOSED
        )
    )
    plan_changes = _count(
        select(func.count(AuditEvent.id)).where(
            *_engagement_events(viewer, start), AuditEvent.action.in_(PLAN_ACTIONS), _by_others(viewer)
        )
    )
    other = "freelancers" if viewer.role is Role.LEADER else "the leader"
    return [
        NewsItem(
            proposed,
            plural(
                proposed, "proposed engagement waits for an agreed plan", "proposed engagements wait for an agreed plan"
            ),
            "engagements.index",
        ),
        NewsItem(
            plan_changes,
            plural(plan_changes, f"plan change by {other} to look at", f"plan changes by {other} to look at"),
            "engagements.index",
        ),
        *_checkin_news(viewer, start),
    ]


def _checkin_news(viewer: User, start: datetime) -> list[NewsItem]:
    opened = _count(
        select(func.count(CheckinRound.id)).where(
            CheckinRound.engagement_id.in_(_engagements_of(viewer)), CheckinRound.opened_at >= start
        )
    )
    # Answers carry no time (anonymity): what is new is a round that closed, with its results.
    ready = _count(select(func.count(CheckinRound.id)).where(*_rounds_closed_since(viewer, start)))
    return [
        NewsItem(opened, plural(opened, "check-in round opened", "check-in rounds opened"), "engagements.index"),
        NewsItem(
            ready,
            plural(
                ready, "check-in round closed, its results to read", "check-in rounds closed, their results to read"
            ),
            "engagements.index",
        ),
    ]


def _rounds_closed_since(viewer: User, start: datetime) -> tuple:
    return (
        CheckinRound.engagement_id.in_(_engagements_of(viewer)),
        CheckinRound.closes_at >= start,
        CheckinRound.closes_at <= utcnow(),
    )


def _answered_invitations(viewer: User, start: datetime) -> tuple[int, int]:
    rows = dict(
        db.session.execute(
            select(Invitation.status, func.count())
            .join(Invitation.need)
            .where(
                Need.organisation_id == viewer.organisation_id,
                Invitation.responded_at >= start,
                Invitation.status.in_((InvitationStatus.ACCEPTED, InvitationStatus.DECLINED)),
            )
            .group_by(Invitation.status)
        ).all()
    )
    return rows.get(InvitationStatus.ACCEPTED, 0), rows.get(InvitationStatus.DECLINED, 0)


def waiting_invitations(viewer: User) -> int:
    """Sent invitations the freelancer hasn't answered and that haven't run out (the menu and the
    home page both show it: counted once per request)."""

    def count() -> int:
        return _count(
            select(func.count(Invitation.id))
            .join(Invitation.profile)
            .where(
                FreelancerProfile.user_id == viewer.id,
                Invitation.status == InvitationStatus.SENT,
                (Invitation.expires_at.is_(None)) | (Invitation.expires_at > utcnow()),
            )
        )

    return once_per_request(f"waiting_invitations.{viewer.id}", count)


def engagements_with_news(viewer: User) -> set[int]:
    """Engagements someone else changed, or whose check-in round closed, since the previous sign-in."""
    start = since(viewer)
    changed = select(AuditEvent.entity_id).where(*_engagement_events(viewer, start), _by_others(viewer))
    closed = select(CheckinRound.engagement_id).where(*_rounds_closed_since(viewer, start))
    return set(db.session.scalars(changed.union(closed)))


def menu_counts(viewer: User) -> dict[str, int]:
    """endpoint -> count shown beside that menu item; worked out once per request."""
    return once_per_request(f"menu_counts.{viewer.id}", lambda: _menu_counts(viewer))


def _menu_counts(viewer: User) -> dict[str, int]:
    counts = {"engagements.index": len(engagements_with_news(viewer))}
    if viewer.role is Role.FREELANCER:
        counts["profiles.my_invitations"] = waiting_invitations(viewer)
    return counts


def _engagements_of(viewer: User) -> Select:
    query = select(Engagement.id).join(Engagement.need)
    if viewer.role is Role.FREELANCER:
        return query.join(Engagement.profile).where(FreelancerProfile.user_id == viewer.id)
    return query.where(Need.organisation_id == viewer.organisation_id)


def _engagement_events(viewer: User, start: datetime) -> tuple:
    return (
        AuditEvent.entity_type == "engagement",
        AuditEvent.entity_id.in_(_engagements_of(viewer)),
        AuditEvent.created_at >= start,
    )


def _by_others(viewer: User):
    return (AuditEvent.actor_id.is_(None)) | (AuditEvent.actor_id != viewer.id)


def _count(query: Select) -> int:
    return db.session.scalar(query) or 0
