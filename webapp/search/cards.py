"""Profiles as the ranking reads them: plain columns in two queries, no ORM objects.

A match page re-ranks a pool of a couple of hundred candidates to show ten. Loading the pool as
full ORM rows with their skills and taxonomy entries cost more than everything else on the
page, so the pool is read here and only the page shown is loaded as ORM rows."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from matching.types import AugmentationFocus, Evidence, ProfileDoc, SkillRef

from ..extensions import db
from ..models import FreelancerProfile, ProfileSkill, Skill, User, Visibility


@dataclass(frozen=True)
class ProfileCard:
    doc: ProfileDoc
    visibility: Visibility
    focus: AugmentationFocus


def profile_cards(ids: Iterable[int]) -> dict[int, ProfileCard]:
    """The cards of the given profiles whose accounts are active (closed ones never rank)."""
    ids = list(ids)
    if not ids:
        return {}
    profiles = db.session.execute(
        select(FreelancerProfile.id, FreelancerProfile.headline, FreelancerProfile.hourly_rate,
               FreelancerProfile.weekly_hours, FreelancerProfile.timezone, FreelancerProfile.visibility,
               FreelancerProfile.augmentation_focus, FreelancerProfile.augmentation_evidence)
        .join(User, FreelancerProfile.user_id == User.id)
        .where(FreelancerProfile.id.in_(ids), User.is_active_account.is_(True))
    ).all()
    skills = _skills_of([row.id for row in profiles])
    return {row.id: ProfileCard(
        doc=ProfileDoc(
            id=row.id, headline=row.headline, skills=skills.get(row.id, ()),
            hourly_rate=float(row.hourly_rate) if row.hourly_rate is not None else None,
            weekly_hours=row.weekly_hours, timezone=row.timezone,
        ),
        visibility=row.visibility,
        focus=stored_focus(row.augmentation_focus, row.augmentation_evidence),
    ) for row in profiles}


def _skills_of(profile_ids: list[int]) -> dict[int, tuple[SkillRef, ...]]:
    rows = db.session.execute(
        select(ProfileSkill.profile_id, ProfileSkill.label, Skill.uri, ProfileSkill.level)
        .outerjoin(Skill, ProfileSkill.skill_id == Skill.id)
        .where(ProfileSkill.profile_id.in_(profile_ids))
        .order_by(ProfileSkill.profile_id, ProfileSkill.position)
    )
    skills: dict[int, list[SkillRef]] = {}
    for profile_id, label, uri, level in rows:
        skills.setdefault(profile_id, []).append(SkillRef(label, uri, level))
    return {profile_id: tuple(refs) for profile_id, refs in skills.items()}


def stored_focus(score: float | None, evidence: list[dict] | None) -> AugmentationFocus:
    """The stored focus; 0.5 (no evidence either way) until the profile has been embedded."""
    if score is None:
        return AugmentationFocus(0.5)
    return AugmentationFocus(score, tuple(Evidence(e["source"], e["text"], e["weight"]) for e in evidence or ()))
