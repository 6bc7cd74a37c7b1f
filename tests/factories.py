"""Small builders for test data, each returning flushed rows with sensible defaults."""

from __future__ import annotations

import itertools
import secrets

from webapp.auth.passwords import hash_password
from webapp.extensions import db
from webapp.models import (
    CompanyGoal,
    FreelancerProfile,
    Intent,
    Need,
    NeedSkill,
    NeedStatus,
    Organisation,
    ProfileSkill,
    Role,
    Team,
    User,
)

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)


def organisation(name: str | None = None) -> Organisation:
    org = Organisation(name=name or f"Org {next(_counter)}")
    org.teams.append(Team(name="Operations"))
    org.goals.append(CompanyGoal(title="Faster customer answers"))
    db.session.add(org)
    db.session.flush()
    return org


def user(
    role: Role,
    org: Organisation | None = None,
    *,
    email: str | None = None,
    name: str = "Test Person",
    leads: bool = True,
) -> User:
    """An account; a leader leads the organisation's first team unless `leads` is False."""
    person = User(
        email=email or f"user{next(_counter)}@example.org",
        name=name,
        role=role,
        password_hash=_PASSWORD_HASH,
        session_token=secrets.token_hex(16),
        organisation=org,
    )
    db.session.add(person)
    if role is Role.LEADER and org is not None and org.teams and leads:
        org.teams[0].leaders.append(person)
    db.session.flush()
    return person


def freelancer(
    *, headline: str = "Data coach", skills: tuple[str, ...] = ("data analytics",), **fields
) -> FreelancerProfile:
    owner = user(Role.FREELANCER)
    profile = FreelancerProfile(user=owner, headline=headline, **fields)
    profile.skills = [ProfileSkill(label=label, level=3, position=i) for i, label in enumerate(skills)]
    db.session.add(profile)
    db.session.flush()
    return profile


def need(
    org: Organisation,
    leader: User,
    *,
    title: str = "Help the ops team use AI",
    skills: tuple[str, ...] = ("data analytics",),
    **fields,
) -> Need:
    item = Need(
        organisation=org,
        team=org.teams[0],
        goal=org.goals[0],
        created_by=leader,
        title=title,
        description=fields.pop("description", "Our team answers customer questions."),
        intent=fields.pop("intent", Intent.AUGMENT),
        status=fields.pop("status", NeedStatus.OPEN),
        **fields,
    )
    item.skills = [NeedSkill(label=label, importance=2, position=i) for i, label in enumerate(skills)]
    if leader.role is Role.LEADER and leader not in item.team.leaders:
        item.team.leaders.append(leader)  # a leader posts needs for a team they lead
    db.session.add(item)
    db.session.flush()
    return item
