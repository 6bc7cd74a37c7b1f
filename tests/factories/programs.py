"""The program a program manager oversees: teams, needs and engagements in every state, and the
plain facts the program's figures are computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tests.factories.engagements import EngagementFactory, TeamMemberFactory, days_ago
from tests.factories.needs import NeedFactory
from tests.factories.people import OrganisationFactory, ProfileFactory, UserFactory
from webapp.extensions import db
from webapp.models import (
    CheckinResponse,
    CheckinRound,
    CompanyGoal,
    Engagement,
    EngagementSession,
    EngagementStatus,
    Need,
    Organisation,
    SessionKind,
    Team,
    TransferPlanItem,
    User,
    utcnow,
)
from webapp.programs.outcomes import EngagementFacts, assess

ACTIVE, COMPLETED = EngagementStatus.ACTIVE, EngagementStatus.COMPLETED
TODAY = date(2026, 6, 15)  # the day the hand-built facts are assessed on


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


def program_engagement(
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
    profile = ProfileFactory(headline="AI pairing coach", user__name=f"Freelancer of {need.title}")
    members = [TeamMemberFactory(team=need.team, name=f"{need.title} member {i}", role_title="") for i in range(3)]
    plan_items = [
        TransferPlanItem(
            skill_label=skill, team_member=members[0], baseline_level=baseline, target_level=target, final_level=final
        )
        for skill, baseline, target, final in plan
    ]
    return EngagementFactory(
        need=need,
        profile=profile,
        status=status,
        agreed_hours=None,
        outcome_rating=rating,
        start_date=days_ago(started) if started is not None else None,
        end_date=date.today() + timedelta(days=ends_in) if ends_in is not None else None,
        plan_items=plan_items,
        sessions=[
            EngagementSession(kind=SessionKind.PAIRING, held_on=days_ago(day), minutes=60, plan_items=list(plan_items))
            for day in session_days
        ],
        checkin_rounds=[
            CheckinRound(opened_at=moment(opened), closes_at=moment(closes), responses=given)
            for opened, closes, given in rounds
        ],
    )


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


def program_world() -> ProgramWorld:
    """One organisation's program (two teams, three engagements) and another organisation's
    engagement; committed."""
    org = OrganisationFactory()
    operations, goal = org.teams[0], org.goals[0]
    finance = Team(organisation=org, name="Finance")
    db.session.add(finance)
    manager = UserFactory(program_manager=True, organisation=org, email=f"pm{org.id}@example.org", name="Pam Manager")
    leader = UserFactory(leader=True, organisation=org, email=f"lead{org.id}@example.org", name="Lea Leader")
    finance_leader = UserFactory(
        leader=True, organisation=org, email=f"finance{org.id}@example.org", name="Fin Leader", leads=False
    )
    completed = program_engagement(
        NeedFactory(organisation=org, created_by=leader, title="Coach the ops team on triage prompts"),
        status=COMPLETED,
        started=90,
        ends_in=-20,
        rating=4,
        plan=(("Prompting", 1, 3, 3), ("Python", 2, 4, 3)),
        session_days=(80, 30),
        rounds=((60, 53, answers(3, 4)), (40, 33, answers(4, 5))),
    )
    quiet = program_engagement(
        NeedFactory(organisation=org, created_by=leader, title="Automate the ops report", automate=True),
        status=ACTIVE,
        started=45,
        session_days=(40, 20),
        rounds=((30, 23, answers(3, 5)), (16, 9, answers(3, 3)), (12, 5, answers(2, 1)), (2, -5, answers(3, 1))),
    )
    finance_need = NeedFactory(
        organisation=org, created_by=finance_leader, team=finance, title="Pair with finance on forecasting"
    )
    finance_work = program_engagement(finance_need, status=ACTIVE, started=20, session_days=(2,))
    other = OrganisationFactory()
    other_leader = UserFactory(leader=True, organisation=other)
    elsewhere = program_engagement(
        NeedFactory(organisation=other, created_by=other_leader, title="Someone else's engagement"), status=ACTIVE
    )
    db.session.commit()
    return ProgramWorld(
        org, manager, leader, finance_leader, operations, finance, goal, completed, quiet, finance_work, elsewhere
    )


def facts(id_: int = 1, **changes) -> EngagementFacts:
    """An engagement's facts as the program's figures read them: completed, in Operations."""
    base = dict(
        id=id_,
        need_id=id_,
        need_title=f"Need {id_}",
        team_id=1,
        team="Operations",
        goal_id=1,
        goal="Faster answers",
        intent="augment",
        freelancer="Fred",
        status="completed",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 3, 20),
        created_on=date(2026, 1, 1),
    )
    return EngagementFacts(**(base | changes))


def assessed(*many: EngagementFacts):
    return [assess(item, TODAY) for item in many]
