"""The engagement world the engagement tests share (tests/factories/engagements.py) is what
those tests assume."""

from __future__ import annotations

from datetime import date, timedelta

from tests.audit import audit_trail
from tests.factories import engagement_world
from webapp.models import EngagementStatus


def test_the_world_has_a_proposed_engagement_with_a_team_of_three(app):
    world = engagement_world()
    assert world.engagement.status is EngagementStatus.PROPOSED
    assert [m.name for m in world.need.team.members] == ["Ana", "Ben", "Chen"]
    assert audit_trail(world.engagement) == [("proposed", None, "proposed", world.freelancer.id)]


def test_the_world_can_start_with_a_plan(app):
    world = engagement_world(status=EngagementStatus.ACTIVE, plan=True)
    assert len(world.engagement.plan_items) == 3
    assert world.engagement.start_date == date.today() - timedelta(days=10)
