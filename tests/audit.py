"""What the audit log says happened to an engagement."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Engagement


def audit_trail(engagement: Engagement) -> list[tuple[str, str | None, str | None, int | None]]:
    """(action, from state, to state, actor id) of each event, oldest first."""
    return [
        (event.action, event.from_state, event.to_state, event.actor_id)
        for event in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "engagement", AuditEvent.entity_id == engagement.id)
            .order_by(AuditEvent.id)
        )
    ]
