"""Each engagement of a program as plain facts, its indicators, and the table's filters, sorting
and paging (through `..paging`). Pure: nothing here touches Flask or the database (`facts.py` reads the rows).

The indicators are the engagement page's own (`engagements/indicators.py`), so a figure on the
dashboard always agrees with the figure on the engagement's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..engagements import indicators
from ..engagements.indicators import PlanLevel, Progress, Trend

FOCUSES = ("augment", "balanced", "automate")
FOCUS_LABELS = {"augment": "Augmentation-focused", "balanced": "Balanced", "automate": "Automation-focused"}
STATUSES = ("proposed", "active", "completed", "cancelled")
PER_PAGE = 25


@dataclass(frozen=True)
class RoundResult:
    """A check-in round whose results may be shown (closed, enough answers)."""

    opened_on: date
    health: float
    answers: int


@dataclass(frozen=True)
class EngagementFacts:
    id: int
    need_id: int
    need_title: str
    team_id: int
    team: str
    goal_id: int | None
    goal: str | None
    intent: str  # the need's: augment, balanced or automate
    freelancer: str
    status: str
    start_date: date | None
    end_date: date | None
    created_on: date
    outcome_rating: int | None = None
    levels: tuple[PlanLevel, ...] = ()
    served_skills: frozenset[str] = frozenset()
    last_session: date | None = None
    rounds: tuple[RoundResult, ...] = ()  # oldest first


@dataclass(frozen=True)
class EngagementOutcome:
    facts: EngagementFacts
    progress: Progress
    trend: Trend
    risks: tuple[str, ...] = field(default=())

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)


def assess(facts: EngagementFacts, today: date) -> EngagementOutcome:
    """The engagement page's indicators and risk flags, from the same formulas."""
    coverage = indicators.session_coverage({level.skill for level in facts.levels}, set(facts.served_skills))
    trend = indicators.health_trend([result.health for result in facts.rounds])
    risks = indicators.risk_reasons(
        indicators.RiskInputs(
            active=facts.status == "active",
            today=today,
            start_date=facts.start_date,
            end_date=facts.end_date,
            last_session=facts.last_session,
            trend=trend,
            uncovered_skills=coverage.uncovered,
        )
    )
    return EngagementOutcome(facts, indicators.transfer_progress(list(facts.levels)), trend, tuple(risks))


@dataclass(frozen=True)
class ProgramFilters:
    team_id: int | None = None
    goal_id: int | None = None
    status: str | None = None
    intent: str | None = None
    since: date | None = None
    until: date | None = None

    def admits(self, facts: EngagementFacts, today: date) -> bool:
        return (
            (self.team_id is None or facts.team_id == self.team_id)
            and (self.goal_id is None or facts.goal_id == self.goal_id)
            and (self.status is None or facts.status == self.status)
            and (self.intent is None or facts.intent == self.intent)
            and self.overlaps(facts, today)
        )

    def overlaps(self, facts: EngagementFacts, today: date) -> bool:
        """An engagement belongs to a period when it ran during it: from its start (or, before
        one is set, the day it was agreed) to its end (or today while it has none)."""
        first = facts.start_date or facts.created_on
        last = facts.end_date or max(today, first)
        return (self.until is None or first <= self.until) and (self.since is None or last >= self.since)


def _health(outcome: EngagementOutcome) -> float | None:
    return outcome.trend.last


SORT_KEYS = {
    "need": lambda o: o.facts.need_title.lower(),
    "team": lambda o: o.facts.team.lower(),
    "freelancer": lambda o: o.facts.freelancer.lower(),
    "status": lambda o: STATUSES.index(o.facts.status),
    "start": lambda o: o.facts.start_date,
    "end": lambda o: o.facts.end_date,
    "progress": lambda o: o.progress.share,
    "health": _health,
    "rating": lambda o: o.facts.outcome_rating,
    "risk": lambda o: len(o.risks),
}
DEFAULT_SORT = ("start", True)


@dataclass(frozen=True)
class ProgramQuery:
    """What the dashboard was asked for; `params()` gives it back as a query string."""

    filters: ProgramFilters = ProgramFilters()
    sort: str = DEFAULT_SORT[0]
    descending: bool = DEFAULT_SORT[1]
    page: int = 1

    def filter_params(self) -> dict[str, str]:
        f = self.filters
        values = {
            "team": f.team_id,
            "goal": f.goal_id,
            "status": f.status,
            "intent": f.intent,
            "since": f.since,
            "until": f.until,
        }
        return {name: str(value) for name, value in values.items() if value is not None}

    def params(self, **changes) -> dict[str, str]:
        """The filters, sort and page as URL arguments, with `changes` applied (None drops one)."""
        values = self.filter_params() | {"sort": self.sort, "dir": "desc" if self.descending else "asc"}
        if self.page > 1:
            values["page"] = str(self.page)
        values |= {name: str(value) for name, value in changes.items() if value is not None}
        return {name: value for name, value in values.items() if changes.get(name, value) is not None}

    def sorted_by(self, key: str) -> dict[str, str]:
        """Arguments for a column header: sort by it, or flip the order if it is the sort already."""
        descending = not self.descending if key == self.sort else key not in ("need", "team", "freelancer")
        return self.params(sort=key, dir="desc" if descending else "asc", page=None)


def sorted_outcomes(outcomes: list[EngagementOutcome], key: str, descending: bool) -> list[EngagementOutcome]:
    """Sorted by one column, ties by engagement id; rows without a value go last either way."""
    value_of = SORT_KEYS[key]
    known = [o for o in outcomes if value_of(o) is not None]
    unknown = [o for o in outcomes if value_of(o) is None]
    known.sort(key=lambda o: o.facts.id, reverse=descending)
    known.sort(key=value_of, reverse=descending)
    return known + sorted(unknown, key=lambda o: o.facts.id)
