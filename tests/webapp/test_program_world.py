"""The program world the program tests share (tests/factories/programs.py) is what those tests
assume."""

from __future__ import annotations

from tests.factories.programs import ACTIVE, program_world
from webapp.models import Intent


def test_the_program_world_has_one_engagement_at_risk_among_three(app):
    world = program_world()
    assert world.quiet.status is ACTIVE and world.quiet.need.intent is Intent.AUTOMATE
    assert world.finance_work.need.team == world.finance and world.finance_work.need.created_by == world.finance_leader
    assert [len(r.responses) for r in world.quiet.checkin_rounds] == [3, 3, 2, 3]
    assert world.elsewhere.need.organisation_id != world.org.id
