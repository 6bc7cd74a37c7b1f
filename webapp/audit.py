"""Writes the audit trail. Callers add the event to the same transaction as the change."""

from __future__ import annotations

from .extensions import db
from .models import AuditEvent, User


def record(
    actor: User | None,
    entity_type: str,
    entity_id: int,
    action: str,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    **detail,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )
    db.session.add(event)
    return event
