"""Reads a program's engagements as plain facts for `outcomes.py`.

A handful of column queries, each over every engagement in scope at once, and no ORM objects:
the dashboard reads a thousand engagements with their plans, sessions and check-ins within its
time budget (they run on the session's connection, so rows skip the ORM's result processing).
Check-in rounds are averaged in the database; a round's results count only as the
engagement page shows them (closed, at least MIN_ANSWERS answers).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from ..engagements.indicators import MIN_ANSWERS, PlanLevel, Pulse
from ..extensions import db
from ..models import (
    CheckinResponse,
    CheckinRound,
    CompanyGoal,
    Engagement,
    EngagementSession,
    FreelancerProfile,
    Need,
    Team,
    TransferPlanItem,
    User,
)
from ..models.engagements import session_plan_items
from ..models.needs import leaning
from ..scope import led_team_ids
from .outcomes import EngagementFacts, RoundResult


@dataclass(frozen=True)
class Scope:
    """Whose engagements a viewer reviews: the organisation's, or for a leader only their teams'."""

    organisation_id: int
    team_ids: frozenset[int] | None = None  # None: every team


def scope_of(viewer: User) -> Scope:
    """A leader's teams are the teams they lead (webapp/scope.py)."""
    if viewer.organisation_id is None:
        raise ValueError("A freelancer belongs to no organisation: there is no program to review.")
    return Scope(viewer.organisation_id, led_team_ids(viewer))


def _engagement_ids(scope: Scope) -> Select:
    query = (
        select(Engagement.id)
        .join(Need, Engagement.need_id == Need.id)
        .where(Need.organisation_id == scope.organisation_id)
    )
    if scope.team_ids is not None:
        query = query.where(Need.team_id.in_(scope.team_ids))
    return query


def teams_in(scope: Scope) -> list[tuple[int, str]]:
    query = select(Team.id, Team.name).where(Team.organisation_id == scope.organisation_id)
    if scope.team_ids is not None:
        query = query.where(Team.id.in_(scope.team_ids))
    return [(team_id, name) for team_id, name in db.session.execute(query.order_by(Team.name))]


def goals_in(scope: Scope) -> list[tuple[int, str]]:
    query = select(CompanyGoal.id, CompanyGoal.title).where(CompanyGoal.organisation_id == scope.organisation_id)
    return [(goal_id, title) for goal_id, title in db.session.execute(query.order_by(CompanyGoal.title))]


def _rows(query: Select):
    return db.session.connection().execute(query)


def program_facts(scope: Scope, now: datetime) -> list[EngagementFacts]:
    ids = _engagement_ids(scope)
    levels, served, last_sessions, rounds = plan_levels_of(ids), _served(ids), _last_sessions(ids), rounds_of(ids, now)
    query = (
        select(
            Engagement.id,
            Engagement.need_id,
            Need.title,
            Need.team_id,
            Team.name,
            Need.goal_id,
            CompanyGoal.title,
            Need.intent,
            Need.augment_lean,
            User.name,
            Engagement.status,
            Engagement.start_date,
            Engagement.end_date,
            Engagement.created_at,
            Engagement.outcome_rating,
        )
        .join(Need, Engagement.need_id == Need.id)
        .join(Team, Need.team_id == Team.id)
        .outerjoin(CompanyGoal, Need.goal_id == CompanyGoal.id)
        .join(FreelancerProfile, Engagement.profile_id == FreelancerProfile.id)
        .join(User, FreelancerProfile.user_id == User.id)
        .where(Engagement.id.in_(ids))
    )
    return [
        EngagementFacts(
            id=id_,
            need_id=need_id,
            need_title=title,
            team_id=team_id,
            team=team,
            goal_id=goal_id,
            goal=goal,
            intent=leaning(intent, lean).value,
            freelancer=freelancer,
            status=status.value,
            start_date=start,
            end_date=end,
            created_on=created.date(),
            outcome_rating=rating,
            levels=tuple(levels[id_]),
            served_skills=frozenset(served[id_]),
            last_session=last_sessions.get(id_),
            rounds=tuple(rounds[id_]),
        )
        for (
            id_,
            need_id,
            title,
            team_id,
            team,
            goal_id,
            goal,
            intent,
            lean,
            freelancer,
            status,
            start,
            end,
            created,
            rating,
        ) in _rows(query)
    ]


def plan_levels_of(ids: Select) -> dict[int, list[PlanLevel]]:
    levels = defaultdict(list)
    query = select(
        TransferPlanItem.engagement_id,
        TransferPlanItem.skill_label,
        TransferPlanItem.baseline_level,
        TransferPlanItem.target_level,
        TransferPlanItem.final_level,
        TransferPlanItem.followup_level,
    )
    for engagement_id, skill, baseline, target, final, followup in _rows(
        query.where(TransferPlanItem.engagement_id.in_(ids)).order_by(TransferPlanItem.id)
    ):
        levels[engagement_id].append(PlanLevel(skill, baseline, target, final, followup))
    return levels


def _served(ids: Select) -> dict[int, set[str]]:
    served = defaultdict(set)
    query = (
        select(EngagementSession.engagement_id, TransferPlanItem.skill_label)
        .distinct()
        .join(session_plan_items, session_plan_items.c.session_id == EngagementSession.id)
        .join(TransferPlanItem, session_plan_items.c.plan_item_id == TransferPlanItem.id)
        .where(EngagementSession.engagement_id.in_(ids))
    )
    for engagement_id, skill in _rows(query):
        served[engagement_id].add(skill)
    return served


def _last_sessions(ids: Select) -> dict:
    query = (
        select(EngagementSession.engagement_id, func.max(EngagementSession.held_on))
        .where(EngagementSession.engagement_id.in_(ids))
        .group_by(EngagementSession.engagement_id)
    )
    return dict(_rows(query).all())


def rounds_of(ids: Select, now: datetime) -> dict[int, list[RoundResult]]:
    r = CheckinResponse
    query = (
        select(
            CheckinRound.engagement_id,
            CheckinRound.opened_at,
            CheckinRound.closes_at,
            func.count(r.id),
            func.avg(r.safety_mistakes + r.safety_risks + r.safety_asking),
            func.avg(r.peer_trust),
            func.avg(r.collaboration),
            func.avg(r.goal_clarity),
            func.avg(r.workload),
        )
        .join(r, r.round_id == CheckinRound.id)
        .where(CheckinRound.engagement_id.in_(ids))
        .group_by(CheckinRound.id, CheckinRound.engagement_id, CheckinRound.opened_at, CheckinRound.closes_at)
        .having(func.count(r.id) >= MIN_ANSWERS)
        .order_by(CheckinRound.opened_at, CheckinRound.id)
    )
    rounds = defaultdict(list)
    for engagement_id, opened, closes, answers, safety, trust, collaboration, clarity, workload in _rows(query):
        if closes > now:  # still open: its results stay hidden
            continue
        pulse = Pulse(answers, float(safety) / 3, float(trust), float(collaboration), float(clarity), float(workload))
        rounds[engagement_id].append(RoundResult(opened.date(), pulse.health, answers))
    return rounds
