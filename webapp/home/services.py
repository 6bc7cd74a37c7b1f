"""What each role's home shows, always scoped to the viewer's organisation or profile."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import FreelancerProfile, Invitation, Need, User


def invitations_for(viewer: User) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation).join(Invitation.profile)
        .where(FreelancerProfile.user_id == viewer.id)
        .options(selectinload(Invitation.need).selectinload(Need.organisation), selectinload(Invitation.sent_by))
        .order_by(Invitation.created_at.desc())
    ))

