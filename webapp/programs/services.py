"""The program view: a viewer's engagements assessed, filtered and sorted, and the dashboard
gathered once from them. Reads only; program managers rate outcomes on the engagement page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..engagements import charts as engagement_charts
from ..engagements.followups.services import followup_days
from ..models import User, utcnow
from ..paging import Page, page_of
from . import charts, rollups
from .facts import Scope, goals_in, program_facts, scope_of, teams_in
from .outcomes import FOCUS_LABELS, PER_PAGE, EngagementOutcome, ProgramQuery, assess, sorted_outcomes


@dataclass(frozen=True)
class Program:
    """The viewer's engagements as filtered and sorted, and the organisation's goals."""

    scope: Scope
    query: ProgramQuery
    outcomes: list[EngagementOutcome]
    goals: list[tuple[int, str]]
    today: date


def program_for(query: ProgramQuery, *, viewer: User, now: datetime | None = None) -> Program:
    now = now or utcnow()
    scope = scope_of(viewer)
    today = now.date()
    assessed = [assess(facts, today) for facts in program_facts(scope, now)]
    kept = [o for o in assessed if query.filters.admits(o.facts, today)]
    return Program(scope, query, sorted_outcomes(kept, query.sort, query.descending), goals_in(scope), today)


def filter_choices(*, viewer: User) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The teams (a leader's own only) and the organisation's goals, for the filter form."""
    scope = scope_of(viewer)
    return teams_in(scope), goals_in(scope)


# The table's header cells, each with the columns it sorts by.
COLUMNS = (
    (("need", "Need"),),
    (("team", "Team"),),
    (("freelancer", "Freelancer"),),
    (("status", "Status"),),
    (("start", "Start"), ("end", "End")),
    (("progress", "Knowledge transfer"),),
    (("health", "Connection health"),),
    (("rating", "Rating"),),
    (("risk", "Risk"),),
)


@dataclass(frozen=True)
class Dashboard:
    program: Program
    page: Page[EngagementOutcome]
    totals: rollups.Totals
    at_risk: list[EngagementOutcome]
    comparison: list[rollups.FocusComparison]
    comparison_chart: charts.ComparisonChart
    health_months: list[rollups.MonthFigures]
    health_chart: charts.LineChart | None
    progress_months: list[rollups.MonthFigures]
    progress_chart: charts.LineChart | None
    uplift: list[rollups.TeamUplift]
    uplift_chart: engagement_charts.LevelsChart | None
    coverage: list[rollups.GoalCoverage]
    coverage_chart: charts.CoverageChart | None
    kept_by_team: Sequence[rollups.KeptRow] = ()
    kept_by_focus: Sequence[rollups.KeptRow] = ()
    followup_days: int = 90

    focus_labels = FOCUS_LABELS
    columns = COLUMNS

    @property
    def restricted(self) -> bool:
        """True for a leader, who sees only their own teams."""
        return self.program.scope.team_ids is not None


def dashboard(program: Program) -> Dashboard:
    outcomes = program.outcomes
    comparison = rollups.compare_by_focus(outcomes)
    months = rollups.month_span(outcomes, program.query.filters)
    health = rollups.health_by_month(outcomes, months)
    progress = rollups.progress_by_month(outcomes, months)
    uplift = rollups.uplift_by_team(outcomes)
    coverage = rollups.goals_coverage(outcomes, _goals_shown(program))
    kept_by_team, kept_by_focus = rollups.kept_rows(outcomes)
    return Dashboard(
        program=program,
        page=page_of(outcomes, program.query.page, PER_PAGE),
        totals=rollups.totals(outcomes),
        at_risk=sorted_outcomes([o for o in outcomes if o.at_risk], "risk", True),
        comparison=comparison,
        comparison_chart=charts.comparison_chart(comparison),
        health_months=health,
        health_chart=charts.line_chart(health),
        progress_months=progress,
        progress_chart=charts.line_chart(progress, scale=100),
        uplift=uplift,
        uplift_chart=engagement_charts.levels_chart(rollups.uplift_levels(uplift)),
        coverage=coverage,
        coverage_chart=charts.coverage_chart(coverage),
        kept_by_team=kept_by_team,
        kept_by_focus=kept_by_focus,
        followup_days=followup_days(),
    )


def _goals_shown(program: Program) -> list[tuple[int, str]]:
    wanted = program.query.filters.goal_id
    return [goal for goal in program.goals if wanted is None or goal[0] == wanted]
