"""Builders for the engagement tests (imported by the other test_engagement_* modules), and
checks that the world they build is what those tests assume."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from tests import factories
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Engagement,
    EngagementStatus,
    FreelancerProfile,
    Need,
    Organisation,
    Role,
    TeamMember,
    TransferPlanItem,
    User,
    utcnow,
)


@dataclass
class World:
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


def build(
    *,
    status: EngagementStatus = EngagementStatus.PROPOSED,
    members=("Ana", "Ben", "Chen"),
    skills=("prompt design",),
    plan: bool = False,
    started_days_ago: int = 10,
) -> World:
    """An organisation with a leader and a program manager, a freelancer, a need and its
    engagement; with `plan`, one plan item per member for the need's first skill."""
    org = factories.organisation()
    leader = factories.user(Role.LEADER, org, email=f"lead{org.id}@example.org", name="Lea Leader")
    manager = factories.user(Role.PROGRAM_MANAGER, org, email=f"pm{org.id}@example.org", name="Pam Manager")
    profile = factories.freelancer(headline="AI pairing coach", skills=skills)
    profile.user.name = "Fred Freelancer"
    need = factories.need(org, leader, title="Pair with our ops team on AI", skills=skills)
    joined = utcnow() - timedelta(days=started_days_ago + 30)
    team_members = [
        TeamMember(
            team=need.team,
            name=name,
            role_title="Analyst",
            created_at=joined,
            email=f"{name.lower().replace(' ', '.')}.{org.id}@example.org",
        )
        for name in members
    ]
    db.session.add_all(team_members)
    engagement = Engagement(need=need, profile=profile, status=status, agreed_hours=40)
    if status is not EngagementStatus.PROPOSED:
        engagement.start_date = date.today() - timedelta(days=started_days_ago)
    db.session.add(engagement)
    db.session.flush()
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
    return World(org, leader, manager, profile, need, engagement, team_members)


def other_organisation_leader() -> User:
    org = factories.organisation()
    leader = factories.user(Role.LEADER, org, email=f"elsewhere{org.id}@example.org")
    db.session.commit()
    return leader


def audit_trail(engagement: Engagement) -> list[tuple[str, str | None, str | None, int | None]]:
    return [
        (event.action, event.from_state, event.to_state, event.actor_id)
        for event in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "engagement", AuditEvent.entity_id == engagement.id)
            .order_by(AuditEvent.id)
        )
    ]


def test_the_world_has_a_proposed_engagement_with_a_team_of_three(app):
    world = build()
    assert world.engagement.status is EngagementStatus.PROPOSED
    assert [m.name for m in world.need.team.members] == ["Ana", "Ben", "Chen"]
    assert audit_trail(world.engagement) == [("proposed", None, "proposed", world.freelancer.id)]


def test_the_world_can_start_with_a_plan(app):
    world = build(status=EngagementStatus.ACTIVE, plan=True)
    assert len(world.engagement.plan_items) == 3
    assert world.engagement.start_date == date.today() - timedelta(days=10)
