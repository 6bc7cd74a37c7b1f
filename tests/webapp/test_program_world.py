"""Builders for the program tests (imported by the other test_program_* modules), and a check
that the world they build is what those tests assume."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tests import factories
from webapp.extensions import db
from webapp.models import (
    CheckinResponse,
    CheckinRound,
    CompanyGoal,
    Engagement,
    EngagementSession,
    EngagementStatus,
    Intent,
    Need,
    Organisation,
    Role,
    SessionKind,
    Team,
    TeamMember,
    TransferPlanItem,
    User,
    utcnow,
)

ACTIVE, COMPLETED = EngagementStatus.ACTIVE, EngagementStatus.COMPLETED


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)  # read at each call: a run may cross midnight


def moment(days_before_now: float) -> datetime:
    return utcnow() - timedelta(days=days_before_now)


def answers(count: int, level: int) -> list[CheckinResponse]:
    """`count` answers of `level` on every scale (workload the other way round)."""
    return [
        CheckinResponse(
            safety_mistakes=level,
            safety_risks=level,
            safety_asking=level,
            peer_trust=level,
            collaboration=level,
            goal_clarity=level,
            workload=6 - level,
        )
        for _ in range(count)
    ]


def engagement(
    need: Need,
    *,
    status: EngagementStatus,
    started: int | None = 30,
    ends_in: int | None = 40,
    rating: int | None = None,
    plan=(("Prompting", 1, 3, None),),
    session_days=(),
    rounds=(),
) -> Engagement:
    """An engagement of `need` with a fresh freelancer; plan rows are (skill, baseline, target,
    final), sessions serve every plan item, rounds are (opened days ago, closes days ago, answers)."""
    profile = factories.freelancer(headline="AI pairing coach")
    profile.user.name = f"Freelancer of {need.title}"
    members = [TeamMember(team=need.team, name=f"{need.title} member {i}") for i in range(3)]
    item = Engagement(
        need=need,
        profile=profile,
        status=status,
        outcome_rating=rating,
        start_date=days_ago(started) if started is not None else None,
        end_date=date.today() + timedelta(days=ends_in) if ends_in is not None else None,
    )
    item.plan_items = [
        TransferPlanItem(
            skill_label=skill, team_member=members[0], baseline_level=baseline, target_level=target, final_level=final
        )
        for skill, baseline, target, final in plan
    ]
    item.sessions = [
        EngagementSession(kind=SessionKind.PAIRING, held_on=days_ago(day), minutes=60, plan_items=list(item.plan_items))
        for day in session_days
    ]
    item.checkin_rounds = [
        CheckinRound(opened_at=moment(opened), closes_at=moment(closes), responses=given)
        for opened, closes, given in rounds
    ]
    db.session.add_all([*members, item])
    db.session.flush()
    return item


@dataclass
class ProgramWorld:
    org: Organisation
    manager: User
    leader: User  # leads Operations and posted its needs
    finance_leader: User  # leads Finance and posted its need
    operations: Team
    finance: Team
    goal: CompanyGoal
    completed: Engagement  # Operations, augment, rated 4
    quiet: Engagement  # Operations, automate, active, no session for 20 days: at risk
    finance_work: Engagement  # Finance, augment, active and healthy
    elsewhere: Engagement  # another organisation's


def build_program() -> ProgramWorld:
    org = factories.organisation()
    operations, goal = org.teams[0], org.goals[0]
    finance = Team(organisation=org, name="Finance")
    db.session.add(finance)
    manager = factories.user(Role.PROGRAM_MANAGER, org, email=f"pm{org.id}@example.org", name="Pam Manager")
    leader = factories.user(Role.LEADER, org, email=f"lead{org.id}@example.org", name="Lea Leader")
    finance_leader = factories.user(
        Role.LEADER, org, email=f"finance{org.id}@example.org", name="Fin Leader", leads=False
    )
    completed = engagement(
        factories.need(org, leader, title="Coach the ops team on triage prompts"),
        status=COMPLETED,
        started=90,
        ends_in=-20,
        rating=4,
        plan=(("Prompting", 1, 3, 3), ("Python", 2, 4, 3)),
        session_days=(80, 30),
        rounds=((60, 53, answers(3, 4)), (40, 33, answers(4, 5))),
    )
    quiet = engagement(
        factories.need(org, leader, title="Automate the ops report", intent=Intent.AUTOMATE),
        status=ACTIVE,
        started=45,
        session_days=(40, 20),
        rounds=((30, 23, answers(3, 5)), (16, 9, answers(3, 3)), (12, 5, answers(2, 1)), (2, -5, answers(3, 1))),
    )
    finance_need = factories.need(org, finance_leader, title="Pair with finance on forecasting")
    finance_need.team = finance
    org.teams[0].leaders.remove(finance_leader)
    finance.leaders.append(finance_leader)
    finance_work = engagement(finance_need, status=ACTIVE, started=20, session_days=(2,))
    other = factories.organisation()
    other_leader = factories.user(Role.LEADER, other)
    elsewhere = engagement(factories.need(other, other_leader, title="Someone else's engagement"), status=ACTIVE)
    db.session.commit()
    return ProgramWorld(
        org, manager, leader, finance_leader, operations, finance, goal, completed, quiet, finance_work, elsewhere
    )


def test_the_program_world_has_one_engagement_at_risk_among_three(app):
    world = build_program()
    assert world.quiet.status is ACTIVE and world.quiet.need.intent is Intent.AUTOMATE
    assert world.finance_work.need.team == world.finance and world.finance_work.need.created_by == world.finance_leader
    assert [len(r.responses) for r in world.quiet.checkin_rounds] == [3, 3, 2, 3]
    assert world.elsewhere.need.organisation_id != world.org.id
