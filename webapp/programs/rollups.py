"""The program's figures, rolled up from assessed engagements. Pure, like `outcomes.py`.

Every figure carries the number of engagements (or rounds, or plan items) behind it, so a
mean of one is never mistaken for a trend. Which engagements count where:
- knowledge transfer: completed engagements whose plan had a gap (only then is every final
  level recorded; an active plan counts unassessed items at their baseline);
- connection health: each engagement's last round with results, whatever its status;
- outcome rating: rated engagements (a program manager rates completed ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import fmean

from ..engagements.charts import MeanLevels
from ..engagements.indicators import capability_kept
from .outcomes import FOCUSES, STATUSES, EngagementOutcome, ProgramFilters

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Figure:
    mean: float | None
    count: int


def figure(values: list[float]) -> Figure:
    return Figure(fmean(values) if values else None, len(values))


def transferred(outcome: EngagementOutcome) -> float | None:
    """The knowledge-transfer share that counts towards program figures (see the module doc)."""
    return outcome.progress.share if outcome.facts.status == "completed" else None


@dataclass(frozen=True)
class FocusComparison:
    focus: str
    engagements: int
    progress: Figure  # share of the skill gap closed, 0-1
    health: Figure  # 0-100
    rating: Figure  # 1-5


def compare_by_focus(outcomes: list[EngagementOutcome]) -> list[FocusComparison]:
    """Augmentation-focused, balanced and automation-focused engagements side by side (always
    all three, empty ones with zero counts), by the intent the leader gave the need."""
    return [_comparison(focus, [o for o in outcomes if o.facts.intent == focus]) for focus in FOCUSES]


def _comparison(focus: str, group: list[EngagementOutcome]) -> FocusComparison:
    return FocusComparison(
        focus=focus,
        engagements=len(group),
        progress=figure([share for o in group if (share := transferred(o)) is not None]),
        health=figure([o.trend.last for o in group if o.trend.last is not None]),
        rating=figure([o.facts.outcome_rating for o in group if o.facts.outcome_rating is not None]),
    )


def month_of(day: date) -> date:
    return day.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def month_span(outcomes: list[EngagementOutcome], filters: ProgramFilters, limit: int = MONTHS_SHOWN) -> list[date]:
    """The months the over-time charts cover: from the first to the last month with a round or
    a completion, inside the period filter, at most the last `limit` of them."""
    days = [r.opened_on for o in outcomes for r in o.facts.rounds]
    days += [day for o in outcomes if (day := _completed_on(o)) is not None]
    days = [
        d
        for d in days
        if (filters.since is None or d >= filters.since) and (filters.until is None or d <= filters.until)
    ]
    if not days:
        return []
    return months_between(min(days), max(days))[-limit:]


def _completed_on(outcome: EngagementOutcome) -> date | None:
    return outcome.facts.end_date if transferred(outcome) is not None else None


@dataclass(frozen=True)
class MonthFigures:
    month: date
    by_focus: dict[str, Figure]


def health_by_month(outcomes: list[EngagementOutcome], months: list[date]) -> list[MonthFigures]:
    """Mean connection health of the rounds opened each month, per focus; count = rounds.
    A month without a round has no mean (a gap in the line, not a zero)."""
    return _by_month(
        months, [(month_of(r.opened_on), o.facts.intent, r.health) for o in outcomes for r in o.facts.rounds]
    )


def progress_by_month(outcomes: list[EngagementOutcome], months: list[date]) -> list[MonthFigures]:
    """Mean knowledge transfer of the engagements completed each month, per focus;
    count = engagements."""
    return _by_month(
        months,
        [
            (month_of(o.facts.end_date), o.facts.intent, share)
            for o in outcomes
            if (share := transferred(o)) is not None and o.facts.end_date is not None
        ],
    )


def _by_month(months: list[date], values: list[tuple[date, str, float]]) -> list[MonthFigures]:
    return [
        MonthFigures(
            month, {focus: figure([v for m, f, v in values if m == month and f == focus]) for focus in FOCUSES}
        )
        for month in months
    ]


@dataclass(frozen=True)
class TeamUplift:
    """Levels before and after over a team's assessed plan items (those with a final level)."""

    team: str
    engagements: int
    assessed: int
    baseline: float | None
    target: float | None
    final: float | None

    @property
    def uplift(self) -> float | None:
        return None if self.final is None or self.baseline is None else self.final - self.baseline


def uplift_by_team(outcomes: list[EngagementOutcome]) -> list[TeamUplift]:
    teams: dict[str, list[EngagementOutcome]] = {}
    for outcome in outcomes:
        teams.setdefault(outcome.facts.team, []).append(outcome)
    return [_uplift(team, teams[team]) for team in sorted(teams, key=str.lower)]


def _uplift(team: str, group: list[EngagementOutcome]) -> TeamUplift:
    assessed = [(level, level.final) for o in group for level in o.facts.levels if level.final is not None]
    return TeamUplift(
        team=team,
        engagements=len(group),
        assessed=len(assessed),
        baseline=figure([level.baseline for level, _ in assessed]).mean,
        target=figure([level.target for level, _ in assessed]).mean,
        final=figure([final for _, final in assessed]).mean,
    )


def uplift_levels(uplifts: list[TeamUplift]) -> list[MeanLevels]:
    """The team means (of assessed items: all three are set once one is), so the engagement
    page's levels chart can draw them."""
    return [
        MeanLevels(u.team, round(u.baseline, 2), round(u.target, 2), round(u.final, 2))
        for u in uplifts
        if u.baseline is not None and u.target is not None and u.final is not None
    ]


@dataclass(frozen=True)
class GoalCoverage:
    goal_id: int | None
    goal: str
    by_status: dict[str, int]
    rating: Figure

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


NO_GOAL = "No company goal"


def goals_coverage(outcomes: list[EngagementOutcome], goals: list[tuple[int, str]]) -> list[GoalCoverage]:
    """Every company goal, with its engagements by status and their mean outcome rating; goals
    without an engagement show with zeros, and needs without a goal get a row of their own."""
    rows = [_coverage(goal_id, title, [o for o in outcomes if o.facts.goal_id == goal_id]) for goal_id, title in goals]
    known = {goal_id for goal_id, _ in goals}
    stray = [o for o in outcomes if o.facts.goal_id not in known]
    if stray:
        rows.append(_coverage(None, NO_GOAL, stray))
    return rows


def _coverage(goal_id: int | None, title: str, group: list[EngagementOutcome]) -> GoalCoverage:
    return GoalCoverage(
        goal_id=goal_id,
        goal=title,
        by_status={s: sum(1 for o in group if o.facts.status == s) for s in STATUSES},
        rating=figure([o.facts.outcome_rating for o in group if o.facts.outcome_rating is not None]),
    )


@dataclass(frozen=True)
class Totals:
    engagements: int
    by_status: dict[str, int]
    at_risk: int
    progress: Figure
    rating: Figure


def totals(outcomes: list[EngagementOutcome]) -> Totals:
    return Totals(
        engagements=len(outcomes),
        by_status={s: sum(1 for o in outcomes if o.facts.status == s) for s in STATUSES},
        at_risk=sum(1 for o in outcomes if o.at_risk),
        progress=figure([share for o in outcomes if (share := transferred(o)) is not None]),
        rating=figure([o.facts.outcome_rating for o in outcomes if o.facts.outcome_rating is not None]),
    )


@dataclass(frozen=True)
class KeptRow:
    """Knowledge transferred beside capability kept at the follow-up, for one team or one focus."""

    group: str
    transferred: Figure  # share of the gap closed, completed engagements
    kept: Figure  # share of the closed gap held at follow-up, engagements with follow-up levels


def kept_rows(outcomes: list[EngagementOutcome]) -> tuple[list[KeptRow], list[KeptRow]]:
    """Per team, and per focus (augment, balanced, automate): transferred beside kept."""
    teams: dict[str, list[EngagementOutcome]] = {}
    for outcome in outcomes:
        teams.setdefault(outcome.facts.team, []).append(outcome)
    by_team = [_kept(team, teams[team]) for team in sorted(teams, key=str.lower)]
    by_focus = [_kept(focus, [o for o in outcomes if o.facts.intent == focus]) for focus in FOCUSES]
    return by_team, by_focus


def _kept(group: str, outcomes: list[EngagementOutcome]) -> KeptRow:
    completed = [o for o in outcomes if o.facts.status == "completed"]
    return KeptRow(
        group=group,
        transferred=figure([share for o in completed if (share := transferred(o)) is not None]),
        kept=figure([share for o in completed if (share := capability_kept(list(o.facts.levels)).share) is not None]),
    )
