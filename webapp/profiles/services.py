"""Freelancers' own profile, the needs ranked for them, interest and answers to invitations."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit import record
from ..extensions import db
from ..models import (
    AiStance,
    FreelancerProfile,
    Interest,
    ItemKind,
    Need,
    NeedSkill,
    NeedStatus,
    ProfileSkill,
    User,
    Visibility,
)
from ..search.indexes import commit_with_vectors
from ..skills.entries import Unrecognised, normalise_entries, replace_skills
from ..transactions import commit_once


@dataclass(frozen=True)
class ProfileInput:
    headline: str
    bio: str
    skills: list[tuple[str, int]]
    ai_stance: AiStance
    ai_usage: str
    hourly_rate: Decimal | None
    weekly_hours: int | None
    timezone: str | None
    visibility: Visibility


def own_profile(viewer: User) -> FreelancerProfile:
    profile = db.session.scalar(
        select(FreelancerProfile)
        .where(FreelancerProfile.user_id == viewer.id)
        .options(selectinload(FreelancerProfile.skills).selectinload(ProfileSkill.skill))
    )
    if profile is None:  # an account made before profiles existed: give it one
        profile = FreelancerProfile(user=viewer, headline="")
        db.session.add(profile)
        db.session.commit()
    return profile


def save_profile(profile: FreelancerProfile, data: ProfileInput, *, actor: User) -> list[Unrecognised]:
    """Saves with its new vector in one commit, then re-indexes; returns skills kept as free text."""
    entries, free_text = normalise_entries(data.skills)
    for name in ("headline", "bio", "ai_stance", "ai_usage", "hourly_rate", "weekly_hours", "visibility"):
        setattr(profile, name, getattr(data, name))
    profile.timezone = data.timezone or None
    replace_skills(
        profile,
        [
            ProfileSkill(label=entry.label, skill=entry.skill, level=entry.weight, position=position)
            for position, entry in enumerate(entries)
        ],
    )
    record(actor, "profile", profile.id, "edited", to_state=profile.visibility.value)
    commit_with_vectors(ItemKind.PROFILE, [profile.id])
    return free_text


def open_need_for_freelancer(need_id: int) -> Need:
    """An open need as a freelancer may see it (the template never shows internal notes)."""
    need = db.session.scalar(
        select(Need)
        .where(Need.id == need_id, Need.status == NeedStatus.OPEN)
        .options(
            selectinload(Need.skills).selectinload(NeedSkill.skill),
            selectinload(Need.goal),
            selectinload(Need.organisation),
            selectinload(Need.team),
        )
    )
    if need is None:
        abort(404)
    return need


def open_need_count() -> int:
    return db.session.scalar(select(func.count(Need.id)).where(Need.status == NeedStatus.OPEN)) or 0


def interested_need_ids(profile: FreelancerProfile) -> set[int]:
    return set(db.session.scalars(select(Interest.need_id).where(Interest.profile_id == profile.id)))


def express_interest(profile: FreelancerProfile, need: Need, note: str, *, actor: User) -> bool:
    """Records interest once; returns False when it was already recorded."""
    if need.id in interested_need_ids(profile):
        return False
    db.session.add(Interest(need_id=need.id, profile_id=profile.id, note=note))
    record(actor, "need", need.id, "interest", profile_id=profile.id)
    return commit_once()
