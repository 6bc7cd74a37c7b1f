"""Rows for organisations, accounts, freelancer profiles and needs, built from the composed drafts."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from ..extensions import db
from ..models import (
    AiStance,
    CompanyGoal,
    FreelancerProfile,
    Need,
    NeedSkill,
    NeedStatus,
    Organisation,
    ProfileSkill,
    Role,
    Team,
    TeamMember,
    User,
    Visibility,
)
from .content import FEATURED_FREELANCER, OrganisationSpec
from .needs_text import NeedDraft
from .people import email_for
from .profiles_text import ProfileDraft
from .world import World

FREELANCER_DOMAIN = "example.net"


def build_organisation(
    world: World, spec: OrganisationSpec
) -> tuple[Organisation, dict[str, Team], dict[str, CompanyGoal]]:
    """The organisation with its goals, teams and named members (flushed, so members have ids)."""
    founded = world.now - timedelta(days=world.rng.randint(300, 420))
    organisation = Organisation(name=spec.name, created_at=founded)
    goals = {
        key: CompanyGoal(title=title, description=description, created_at=founded)
        for key, (title, description) in spec.goals.items()
    }
    teams = {}
    for team_spec in spec.teams:
        team = Team(name=team_spec.name, description=team_spec.description, created_at=founded)
        team.members = [
            TeamMember(name=name, role_title=role_title, email=email_for(name, spec.email_domain), created_at=founded)
            for name, role_title in team_spec.members
        ]
        teams[team_spec.key] = team
    organisation.goals = list(goals.values())
    organisation.teams = list(teams.values())
    db.session.add(organisation)
    db.session.flush()
    world.organisations.append(organisation)
    world.members.update({team.id: list(team.members) for team in teams.values()})
    return organisation, teams, goals


def build_user(
    world: World,
    name: str,
    role: Role,
    password_hash: str,
    *,
    organisation: Organisation | None = None,
    email_domain: str = FREELANCER_DOMAIN,
) -> User:
    user = User(
        email=email_for(name, email_domain),
        name=name,
        role=role,
        password_hash=password_hash,
        session_token=secrets.token_hex(16),
        organisation=organisation,
        created_at=world.now - timedelta(days=world.rng.randint(30, 500)),
    )
    db.session.add(user)
    return user


def build_profile(
    world: World, draft: ProfileDraft, password_hash: str, *, email_domain: str = FREELANCER_DOMAIN
) -> FreelancerProfile:
    user = build_user(world, draft.name, Role.FREELANCER, password_hash, email_domain=email_domain)
    profile = FreelancerProfile(
        user=user,
        headline=draft.headline,
        bio=draft.bio,
        ai_stance=draft.ai_stance,
        ai_usage=draft.ai_usage,
        hourly_rate=draft.hourly_rate,
        weekly_hours=draft.weekly_hours,
        timezone=draft.timezone,
        visibility=draft.visibility,
        created_at=user.created_at,
    )
    profile.skills = [
        ProfileSkill(label=ref.label, skill_id=ref.skill_id, level=level, position=position)
        for position, (ref, level) in enumerate(_resolved(world, draft.skills))
    ]
    db.session.add(profile)
    return profile


def featured_draft() -> ProfileDraft:
    spec = FEATURED_FREELANCER
    return ProfileDraft(
        name=spec["name"],
        headline=spec["headline"],
        bio=spec["bio"],
        ai_stance=AiStance.AUGMENT,
        ai_usage=spec["ai_usage"],
        hourly_rate=Decimal(spec["hourly_rate"]),
        weekly_hours=spec["weekly_hours"],
        timezone=spec["timezone"],
        visibility=Visibility.PUBLIC,
        skills=spec["skills"],
    )


def build_need(
    world: World, draft: NeedDraft, organisation: Organisation, team: Team, goal: CompanyGoal | None, leader: User
) -> Need:
    need = Need(
        organisation=organisation,
        team=team,
        goal=goal,
        created_by=leader,
        title=draft.title,
        description=draft.description,
        intent=draft.intent,
        duration_weeks=draft.duration_weeks,
        hours_per_week=draft.hours_per_week,
        budget_min=draft.budget_min,
        budget_max=draft.budget_max,
        timezone=draft.timezone,
        remote=draft.remote,
        learning_goals=draft.learning_goals,
        internal_notes=draft.internal_notes,
        status=NeedStatus.OPEN,
        created_at=world.now - timedelta(days=world.rng.randint(4, 60), hours=world.rng.randint(0, 8)),
    )
    need.skills = [
        NeedSkill(label=ref.label, skill_id=ref.skill_id, importance=importance, position=position)
        for position, (ref, importance) in enumerate(_resolved(world, draft.skills))
    ]
    db.session.add(need)
    return need


def _resolved(world: World, entries: tuple[tuple[str, int], ...]):
    """(SkillRef, weight) pairs, without two entries resolving to the same taxonomy label."""
    seen: set[str] = set()
    for label, weight in entries:
        ref = world.skills.ref(label)
        if ref.label.lower() not in seen:
            seen.add(ref.label.lower())
            yield ref, weight
