"""What happens during an engagement: logged sessions and the artifacts left behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import abort

from ...audit import record
from ...extensions import db
from ...models import Artifact, ArtifactKind, Engagement, EngagementSession, SessionKind, User
from ..plan.services import team_members
from ..services import EngagementError, require_active, require_editor

MAX_MINUTES = 12 * 60


@dataclass(frozen=True)
class NewSession:
    kind: SessionKind
    held_on: date
    minutes: int
    attendee_ids: tuple[int, ...] = ()
    plan_item_ids: tuple[int, ...] = ()
    notes: str = ""


def check_session(engagement: Engagement, data: NewSession, today: date) -> None:
    """Refuses sessions in the future, of no length, or before the engagement started."""
    if data.held_on > today:
        raise EngagementError("A session can't be in the future: log it once it has happened.")
    if not 1 <= data.minutes <= MAX_MINUTES:
        raise EngagementError(f"A session lasts between 1 and {MAX_MINUTES} minutes.")
    if engagement.start_date and data.held_on < engagement.start_date:
        raise EngagementError(f"The engagement started on {engagement.start_date}: log sessions from that day on.")


def log_session(
    engagement: Engagement, data: NewSession, *, actor: User, today: date | None = None
) -> EngagementSession:
    require_editor(engagement, actor)
    require_active(engagement, "logging sessions")
    check_session(engagement, data, today or date.today())
    members = {member.id: member for member in team_members(engagement)}
    items = {item.id: item for item in engagement.plan_items}
    if any(i not in members for i in data.attendee_ids) or any(i not in items for i in data.plan_item_ids):
        raise EngagementError("Pick attendees and plan items of this engagement.")
    session = EngagementSession(
        engagement=engagement,
        kind=data.kind,
        held_on=data.held_on,
        minutes=data.minutes,
        notes=data.notes,
        logged_by_id=actor.id,
        attendees=[members[i] for i in dict.fromkeys(data.attendee_ids)],
        plan_items=[items[i] for i in dict.fromkeys(data.plan_item_ids)],
    )
    db.session.add(session)
    db.session.flush()
    record(actor, "engagement", engagement.id, "session_logged", session_id=session.id, kind=data.kind.value)
    db.session.commit()
    return session


@dataclass(frozen=True)
class NewArtifact:
    kind: ArtifactKind
    title: str
    url: str


def is_web_link(url: str) -> bool:
    """Only http(s) links with a host: no javascript:, data:, file: or relative links."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def add_artifact(engagement: Engagement, data: NewArtifact, *, actor: User) -> Artifact:
    require_editor(engagement, actor)
    if not is_web_link(data.url):
        raise EngagementError("Links must be web addresses starting with http:// or https://.")
    artifact = Artifact(engagement=engagement, kind=data.kind, title=data.title, url=data.url.strip())
    db.session.add(artifact)
    db.session.flush()
    record(actor, "engagement", engagement.id, "artifact_added", artifact_id=artifact.id, title=data.title)
    db.session.commit()
    return artifact


def artifact_of(engagement: Engagement, artifact_id: int) -> Artifact:
    artifact = next((a for a in engagement.artifacts if a.id == artifact_id), None)
    if artifact is None:
        abort(404)
    return artifact


def set_ownership(engagement: Engagement, artifact: Artifact, team_owned: bool, *, actor: User) -> None:
    """Whether the team has taken the artifact over; each change is recorded."""
    require_editor(engagement, actor)
    if artifact.team_owned is team_owned:
        return
    artifact.team_owned = team_owned
    record(actor, "engagement", engagement.id, "artifact_ownership", title=artifact.title, team_owned=team_owned)
    db.session.commit()
