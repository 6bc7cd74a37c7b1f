"""ORM rows -> the plain documents the matching engine understands."""

from __future__ import annotations

from sqlalchemy import Row

from matching import NeedDoc, ProfileDoc, SkillRef

from ..models import FreelancerProfile, Need


def _money(value) -> float | None:
    return float(value) if value is not None else None


def need_doc(need: Need) -> NeedDoc:
    return NeedDoc(
        id=need.id,
        title=need.title,
        description=need.description,
        skills=tuple(SkillRef(s.label, s.skill.uri if s.skill else None, s.importance) for s in need.skills),
        augment_intent=need.augment_intent,
        goal=need.goal.title if need.goal else "",
        learning_goals=need.learning_goals or "",
        budget_min=_money(need.budget_min),
        budget_max=_money(need.budget_max),
        budget_firm=need.budget_firm,
        hours_per_week=need.hours_per_week,
        timezone=need.timezone,
        remote=need.remote,
    )


def profile_doc(profile: FreelancerProfile | Row, skills: tuple[SkillRef, ...] | None = None) -> ProfileDoc:
    """The one way a profile becomes a document: from its ORM row, or from a row of the same
    columns with its `skills` read apart (the card reader's, webapp.search.cards)."""
    if skills is None:
        skills = tuple(SkillRef(s.label, s.skill.uri if s.skill else None, s.level) for s in profile.skills)
    return ProfileDoc(
        id=profile.id,
        headline=profile.headline,
        bio=profile.bio or "",
        skills=skills,
        ai_usage=profile.ai_usage or "",
        hourly_rate=_money(profile.hourly_rate),
        weekly_hours=profile.weekly_hours,
        timezone=profile.timezone,
    )
