"""Engagements, the team members they work with, and the world the engagement tests share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import factory

from tests.factories.base import Factory
from tests.factories.needs import NeedFactory
from tests.factories.people import OrganisationFactory, ProfileFactory, UserFactory
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Engagement,
    EngagementStatus,
    FreelancerProfile,
    Need,
    Organisation,
    TeamMember,
    TransferPlanItem,
    User,
    utcnow,
)


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)  # read at each call: a run may cross midnight


class TeamMemberFactory(Factory):
    class Meta:
        model = TeamMember

    team = factory.LazyAttribute(lambda member: OrganisationFactory().teams[0])
    name = factory.Sequence(lambda n: f"Member {n}")
    role_title = "Analyst"


class EngagementFactory(Factory):
    """A proposed engagement of a need with a freelancer; `active`, `completed` and `cancelled`
    are the other states, started ten days ago."""

    class Meta:
        model = Engagement

    class Params:
        active = factory.Trait(status=EngagementStatus.ACTIVE, start_date=factory.LazyFunction(lambda: days_ago(10)))
        completed = factory.Trait(
            status=EngagementStatus.COMPLETED,
            start_date=factory.LazyFunction(lambda: days_ago(10)),
            end_date=factory.LazyFunction(date.today),
            completed_at=factory.LazyFunction(utcnow),
        )
        cancelled = factory.Trait(
            status=EngagementStatus.CANCELLED, start_date=factory.LazyFunction(lambda: days_ago(10))
        )

    need = factory.SubFactory(NeedFactory)
    profile = factory.SubFactory(ProfileFactory)
    status = EngagementStatus.PROPOSED
    agreed_hours = 40


@dataclass
class EngagementWorld:
    org: Organisation
    leader: User
    manager: User
    profile: FreelancerProfile
    need: Need
    engagement: Engagement
    members: list[TeamMember] = field(default_factory=list)

    @property
    def freelancer(self) -> User:
        return self.profile.user


def engagement_world(
    *,
    status: EngagementStatus = EngagementStatus.PROPOSED,
    members=("Ana", "Ben", "Chen"),
    skills=("prompt design",),
    plan: bool = False,
    started_days_ago: int = 10,
) -> EngagementWorld:
    """An organisation with a leader and a program manager, a freelancer, a need and its
    engagement, proposed by the freelancer; committed. With `plan`, one plan item per member for
    the need's first skill."""
    org = OrganisationFactory()
    leader = UserFactory(leader=True, organisation=org, email=f"lead{org.id}@example.org", name="Lea Leader")
    manager = UserFactory(program_manager=True, organisation=org, email=f"pm{org.id}@example.org", name="Pam Manager")
    profile = ProfileFactory(headline="AI pairing coach", skill_labels=skills, user__name="Fred Freelancer")
    need = NeedFactory(organisation=org, created_by=leader, title="Pair with our ops team on AI", skill_labels=skills)
    joined = utcnow() - timedelta(days=started_days_ago + 30)
    team_members = [
        TeamMemberFactory(
            team=need.team, name=name, created_at=joined, email=f"{name.lower().replace(' ', '.')}.{org.id}@example.org"
        )
        for name in members
    ]
    started = days_ago(started_days_ago) if status is not EngagementStatus.PROPOSED else None
    engagement = EngagementFactory(need=need, profile=profile, status=status, start_date=started)
    db.session.add(
        AuditEvent(
            actor_id=profile.user_id,
            entity_type="engagement",
            entity_id=engagement.id,
            action="proposed",
            to_state="proposed",
            detail={},
            created_at=utcnow() - timedelta(days=started_days_ago + 1),
        )
    )
    if plan:
        engagement.plan_items = [
            TransferPlanItem(skill_label=skills[0], team_member=member, baseline_level=1, target_level=3)
            for member in team_members
        ]
    db.session.commit()
    return EngagementWorld(org, leader, manager, profile, need, engagement, team_members)


def other_organisation_leader() -> User:
    """A leader of another organisation, committed."""
    org = OrganisationFactory()
    leader = UserFactory(leader=True, organisation=org, email=f"elsewhere{org.id}@example.org")
    db.session.commit()
    return leader
