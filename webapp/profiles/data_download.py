"""Everything Tandem holds about a freelancer, as plain data for a JSON download.

Other people's personal data stays out: team members are not named, and check-in answers (which
are anonymous) are not included. Embeddings are derived from the profile text, so they are left out too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    AuditEvent,
    Engagement,
    FreelancerProfile,
    Interest,
    Invitation,
    Need,
    ProfileSkill,
    ReviewerRole,
    User,
    utcnow,
)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value.value if hasattr(value, "value") else value


def _fields(row, *names: str) -> dict:
    return {name: _plain(getattr(row, name)) for name in names}


def freelancer_data(user: User) -> dict:
    profile = db.session.scalar(
        select(FreelancerProfile)
        .where(FreelancerProfile.user_id == user.id)
        .options(selectinload(FreelancerProfile.skills).selectinload(ProfileSkill.skill))
    )
    data = {
        "exported_at": utcnow().isoformat(),
        "account": _fields(user, "email", "name", "role", "created_at", "last_login_at"),
        "profile": None,
        "skills": [],
        "invitations": [],
        "interests": [],
        "engagements": [],
        "activity": [
            _fields(event, "created_at", "entity_type", "entity_id", "action", "from_state", "to_state")
            for event in db.session.scalars(
                select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
            )
        ],
    }
    if profile is not None:
        data |= _profile_data(profile, user)
    return data


def _profile_data(profile: FreelancerProfile, user: User) -> dict:
    return {
        "profile": _fields(
            profile,
            "headline",
            "bio",
            "ai_stance",
            "ai_usage",
            "hourly_rate",
            "weekly_hours",
            "timezone",
            "visibility",
            "augmentation_focus",
            "created_at",
            "updated_at",
        )
        | {"augmentation_evidence": profile.augmentation_evidence or []},
        "skills": [
            {"label": skill.label, "level": skill.level, "esco_uri": skill.skill.uri if skill.skill else None}
            for skill in profile.skills
        ],
        "invitations": [
            _invitation(invitation)
            for invitation in db.session.scalars(
                select(Invitation)
                .where(Invitation.profile_id == profile.id)
                .options(selectinload(Invitation.need).selectinload(Need.organisation))
                .order_by(Invitation.id)
            )
        ],
        "interests": [
            _interest(interest)
            for interest in db.session.scalars(
                select(Interest).where(Interest.profile_id == profile.id).order_by(Interest.id)
            )
        ],
        "engagements": [
            _engagement(engagement, user)
            for engagement in db.session.scalars(
                select(Engagement)
                .where(Engagement.profile_id == profile.id)
                .options(selectinload(Engagement.need).selectinload(Need.organisation))
                .order_by(Engagement.id)
            )
        ],
    }


def _need(need: Need) -> dict:
    return {"need": need.title, "organisation": need.organisation.name}


def _invitation(invitation: Invitation) -> dict:
    return _need(invitation.need) | _fields(
        invitation, "message", "status", "created_at", "expires_at", "responded_at", "decline_reason"
    )


def _interest(interest: Interest) -> dict:
    return _need(db.session.get_one(Need, interest.need_id)) | _fields(interest, "note", "created_at")


def _engagement(engagement: Engagement, user: User) -> dict:
    return (
        _need(engagement.need)
        | _fields(engagement, "status", "start_date", "end_date", "agreed_hours", "outcome_rating", "completed_at")
        | {
            "milestones": [_fields(m, "title", "due_date", "status") for m in engagement.milestones],
            "plan": [
                _fields(item, "skill_label", "baseline_level", "target_level", "final_level")
                for item in engagement.plan_items
            ],
            # Notes are the words of whoever logged the session: only the freelancer's own come along.
            "sessions": [
                _fields(s, "kind", "held_on", "minutes")
                | {"logged_by_you": s.logged_by_id == user.id}
                | ({"notes": s.notes} if s.logged_by_id == user.id else {})
                for s in engagement.sessions
            ],
            "artifacts": [_fields(a, "kind", "title", "url", "team_owned", "created_at") for a in engagement.artifacts],
            "reviews_you_wrote": [
                _fields(r, "text", "created_at")
                for r in engagement.reviews
                if r.reviewer_role is ReviewerRole.FREELANCER and r.author_id == user.id
            ],
        }
    )
