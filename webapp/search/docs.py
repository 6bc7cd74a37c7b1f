"""ORM rows -> the plain documents the matching engine understands."""

from __future__ import annotations

from matching import NeedDoc, ProfileDoc, SkillRef

from ..models import FreelancerProfile, Need, NeedStatus, Visibility


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


def profile_doc(profile: FreelancerProfile) -> ProfileDoc:
    return ProfileDoc(
        id=profile.id,
        headline=profile.headline,
        bio=profile.bio or "",
        skills=tuple(SkillRef(s.label, s.skill.uri if s.skill else None, s.level) for s in profile.skills),
        ai_usage=profile.ai_usage or "",
        hourly_rate=_money(profile.hourly_rate),
        weekly_hours=profile.weekly_hours,
        timezone=profile.timezone,
    )


def need_is_rankable(need: Need) -> bool:
    """Only open needs are shown to freelancers."""
    return need.status is NeedStatus.OPEN


def profile_is_rankable(profile: FreelancerProfile) -> bool:
    """Hidden profiles never appear in any ranking; empty ones have nothing to match on."""
    return (
        profile.visibility is not Visibility.HIDDEN
        and bool(profile.headline.strip())
        and profile.user.is_active_account
    )
