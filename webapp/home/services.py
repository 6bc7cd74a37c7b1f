"""What each role's home shows, always scoped to the viewer's organisation or profile."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Engagement, FreelancerProfile, Invitation, Need, User


def invitations_for(viewer: User) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation).join(Invitation.profile)
        .where(FreelancerProfile.user_id == viewer.id)
        .options(selectinload(Invitation.need))
        .order_by(Invitation.created_at.desc())
    ))


def engagements_of_organisation(viewer: User) -> list[Engagement]:
    return list(db.session.scalars(
        select(Engagement).join(Engagement.need)
        .where(Need.organisation_id == viewer.organisation_id)
        .options(selectinload(Engagement.need).selectinload(Need.team),
                 selectinload(Engagement.profile).selectinload(FreelancerProfile.user))
        .order_by(Engagement.created_at.desc())
    ))
