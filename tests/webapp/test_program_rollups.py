"""The program's figures on hand-built facts: no database, no Flask."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.factories.programs import TODAY, assessed, facts
from webapp.engagements.indicators import PlanLevel
from webapp.programs import charts, rollups
from webapp.programs.outcomes import ProgramFilters, ProgramQuery, RoundResult, assess, sorted_outcomes


def done(gap_closed: int, gap: int = 4) -> tuple[PlanLevel, ...]:
    """A completed plan of `gap` levels (two items) with `gap_closed` of them closed."""
    first = min(gap_closed, 2)
    return (PlanLevel("Prompting", 1, 3, 1 + first), PlanLevel("Python", 2, 4, 2 + gap_closed - first))


# The engagements behind most tests: two augmentation-focused completed ones, one automation-focused
# completed one, an augmentation-focused active one with check-ins, and a proposed balanced one.
def program():
    return assessed(
        facts(1, levels=done(4), outcome_rating=5, rounds=(RoundResult(date(2026, 2, 3), 70.0, 4),)),
        facts(2, levels=done(2), outcome_rating=4, team_id=2, team="Finance", end_date=date(2026, 5, 2)),
        facts(
            3,
            intent="automate",
            levels=done(1),
            outcome_rating=2,
            goal_id=2,
            goal="Lower costs",
            rounds=(RoundResult(date(2026, 2, 10), 60.0, 3), RoundResult(date(2026, 2, 24), 45.0, 3)),
        ),
        facts(
            4,
            status="active",
            start_date=date(2026, 5, 1),
            end_date=date(2026, 8, 1),
            levels=(PlanLevel("Prompting", 1, 3), PlanLevel("Python", 2, 4)),
            last_session=date(2026, 6, 12),
            rounds=(RoundResult(date(2026, 5, 20), 80.0, 5),),
        ),
        facts(
            5,
            intent="balanced",
            status="proposed",
            start_date=None,
            end_date=None,
            goal_id=None,
            goal=None,
            created_on=date(2026, 6, 10),
        ),
    )


def test_augmentation_and_automation_side_by_side_with_the_count_behind_each_figure():
    augment, balanced, automate = rollups.compare_by_focus(program())
    assert (augment.focus, augment.engagements) == ("augment", 3)
    assert augment.progress == rollups.Figure(0.75, 2)  # completed only: 4/4 and 2/4
    assert augment.health == rollups.Figure(75.0, 2)  # last rounds of #1 and #4
    assert augment.rating == rollups.Figure(4.5, 2)
    assert automate.engagements == 1 and automate.progress == rollups.Figure(0.25, 1)
    assert automate.health == rollups.Figure(45.0, 1) and automate.rating == rollups.Figure(2, 1)
    assert balanced.engagements == 1
    assert balanced.progress == balanced.health == balanced.rating == rollups.Figure(None, 0)


def test_the_comparison_always_has_all_three_groups_even_when_empty():
    assert [(c.focus, c.engagements, c.rating.count) for c in rollups.compare_by_focus([])] == [
        ("augment", 0, 0),
        ("balanced", 0, 0),
        ("automate", 0, 0),
    ]


def test_health_by_month_leaves_a_gap_for_an_empty_month():
    outcomes = program()
    months = rollups.month_span(outcomes, ProgramFilters())
    assert months == [date(2026, m, 1) for m in (2, 3, 4, 5)]
    rows = {row.month.month: row.by_focus for row in rollups.health_by_month(outcomes, months)}
    assert rows[2]["augment"] == rollups.Figure(70.0, 1)
    assert rows[2]["automate"] == rollups.Figure(52.5, 2)  # two rounds that month
    assert rows[3]["augment"] == rollups.Figure(None, 0)  # March: no round at all, a gap not a zero
    assert rows[4]["automate"].mean is None and rows[5]["augment"] == rollups.Figure(80.0, 1)


def test_progress_by_month_counts_engagements_completed_that_month():
    outcomes = program()
    rows = {
        row.month.month: row.by_focus
        for row in rollups.progress_by_month(outcomes, rollups.month_span(outcomes, ProgramFilters()))
    }
    assert rows[3]["augment"] == rollups.Figure(1.0, 1) and rows[3]["automate"] == rollups.Figure(0.25, 1)
    assert rows[5]["augment"] == rollups.Figure(0.5, 1)
    assert rows[4]["augment"] == rollups.Figure(None, 0)


def test_month_span_keeps_to_the_period_and_is_empty_without_data():
    outcomes = program()
    assert rollups.month_span(outcomes, ProgramFilters(since=date(2026, 4, 1))) == [date(2026, 5, 1)]
    assert rollups.month_span(outcomes, ProgramFilters(since=date(2026, 6, 1))) == []
    assert rollups.month_span([], ProgramFilters()) == []
    assert rollups.health_by_month([], []) == []


def test_month_span_shows_at_most_the_last_twelve_months():
    rounds = (RoundResult(date(2024, 1, 10), 50.0, 3), RoundResult(date(2026, 3, 10), 60.0, 3))
    months = rollups.month_span(assessed(facts(rounds=rounds)), ProgramFilters())
    assert len(months) == 12 and months[0] == date(2025, 4, 1) and months[-1] == date(2026, 3, 1)
    assert rollups.months_between(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_skill_uplift_per_team_over_assessed_items_including_a_team_with_one_engagement():
    finance, operations = rollups.uplift_by_team(program())
    assert (finance.team, finance.engagements, finance.assessed) == ("Finance", 1, 2)
    assert (finance.baseline, finance.target, finance.final, finance.uplift) == (1.5, 3.5, 2.5, 1.0)
    assert operations.engagements == 4 and operations.assessed == 4  # the active plan has no final level yet
    assert operations.baseline == 1.5 and operations.final == 2.75


def test_a_team_without_a_final_level_has_no_uplift_and_no_bar():
    outcomes = assessed(facts(status="active", levels=(PlanLevel("Prompting", 1, 3),)))
    [team] = rollups.uplift_by_team(outcomes)
    assert team.assessed == 0 and team.final is None and team.uplift is None
    assert rollups.uplift_levels([team]) == []


def test_goals_coverage_lists_every_goal_and_the_needs_without_one():
    goals = [(1, "Faster answers"), (2, "Lower costs"), (3, "Happier customers")]
    faster, lower, happier, none = rollups.goals_coverage(program(), goals)
    assert faster.by_status == {"proposed": 0, "active": 1, "completed": 2, "cancelled": 0}
    assert faster.rating == rollups.Figure(4.5, 2)
    assert (lower.total, lower.by_status["completed"], lower.rating.mean) == (1, 1, 2)
    assert happier.total == 0 and happier.rating == rollups.Figure(None, 0)
    assert (none.goal, none.goal_id, none.by_status["proposed"]) == (rollups.NO_GOAL, None, 1)
    assert [c.goal for c in rollups.goals_coverage(program()[:1], goals)] == [g for _, g in goals]


def test_totals_count_statuses_flags_and_means():
    totals = rollups.totals(program())
    assert totals.engagements == 5 and totals.by_status["completed"] == 3 and totals.at_risk == 0
    assert totals.progress == rollups.Figure(pytest.approx(7 / 12), 3)
    assert totals.rating == rollups.Figure(pytest.approx(11 / 3), 3)


def test_an_engagement_is_assessed_with_the_engagement_pages_formulas():
    quiet = facts(
        status="active",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 6, 25),
        levels=(PlanLevel("Prompting", 1, 3), PlanLevel("Python", 1, 2)),
        served_skills=frozenset({"Python"}),
        last_session=date(2026, 5, 20),
        rounds=(RoundResult(date(2026, 5, 5), 72.0, 3), RoundResult(date(2026, 5, 19), 60.0, 4)),
    )
    outcome = assess(quiet, TODAY)
    assert outcome.progress.gap == 3 and outcome.progress.share == 0
    assert (outcome.trend.last, outcome.trend.change) == (60.0, -12.0)
    assert outcome.risks == (
        "No session in the last 26 days (more than 14).",
        "Connection health fell 12 points since the previous check-in.",
        "Little time left and no session yet for: Prompting.",
    )
    assert not assess(replace(quiet, status="completed"), TODAY).at_risk


def test_filters_by_team_goal_status_and_intent():
    outcomes = program()

    def kept(**given) -> list[int]:
        return [o.facts.id for o in outcomes if ProgramFilters(**given).admits(o.facts, TODAY)]

    assert kept() == [1, 2, 3, 4, 5]
    assert kept(team_id=2) == [2]
    assert kept(goal_id=2) == [3]
    assert kept(status="completed", intent="augment") == [1, 2]
    assert kept(intent="balanced") == [5]
    assert kept(team_id=99) == []


def test_the_period_keeps_engagements_that_ran_during_it():
    outcomes = program()

    def kept(since=None, until=None) -> list[int]:
        return [o.facts.id for o in outcomes if ProgramFilters(since=since, until=until).admits(o.facts, TODAY)]

    assert kept(until=date(2026, 1, 4)) == []  # before anything started: an empty period
    assert kept(since=date(2026, 3, 21), until=date(2026, 4, 30)) == [2]
    assert kept(since=date(2026, 6, 1)) == [4, 5]  # the proposed one counts from the day it was agreed, until today
    assert kept(since=date(2026, 1, 5), until=date(2026, 1, 5)) == [1, 2, 3]


def test_sorting_by_any_column_puts_missing_values_last_both_ways():
    outcomes = program()
    by_health = [o.facts.id for o in sorted_outcomes(outcomes, "health", True)]
    assert by_health == [4, 1, 3, 2, 5]
    assert [o.facts.id for o in sorted_outcomes(outcomes, "health", False)] == [3, 1, 4, 2, 5]
    assert [o.facts.id for o in sorted_outcomes(outcomes, "rating", False)] == [3, 2, 1, 4, 5]
    assert [o.facts.id for o in sorted_outcomes(outcomes, "status", False)] == [5, 4, 1, 2, 3]
    assert next(o.facts.id for o in sorted_outcomes(outcomes, "team", False)) == 2
    assert [o.facts.id for o in sorted_outcomes(outcomes, "start", True)] == [4, 3, 2, 1, 5]


def test_the_query_gives_back_shareable_arguments():
    query = ProgramQuery(ProgramFilters(team_id=3, since=date(2026, 1, 1)), "health", False, page=2)
    assert query.params() == {"team": "3", "since": "2026-01-01", "sort": "health", "dir": "asc", "page": "2"}
    assert query.params(page=None) == {"team": "3", "since": "2026-01-01", "sort": "health", "dir": "asc"}
    assert query.sorted_by("health")["dir"] == "desc" and "page" not in query.sorted_by("health")
    assert query.sorted_by("need")["dir"] == "asc" and query.sorted_by("rating")["dir"] == "desc"


def test_the_line_chart_breaks_at_an_empty_month_and_needs_a_value():
    outcomes = program()
    rows = rollups.health_by_month(outcomes, rollups.month_span(outcomes, ProgramFilters()))
    chart = charts.line_chart(rows)
    augment = next(line for line in chart.lines if line.focus == "augment")
    assert [dot.value for dot in augment.dots] == [70.0, 80.0] and augment.segments == ()  # never two months in a row
    assert [line.focus for line in chart.lines] == ["augment", "automate"]
    top = charts.LINE_TOP + (100 - 80) / 100 * (charts.LINE_HEIGHT - charts.LINE_TOP - charts.LINE_BOTTOM)
    assert augment.dots[1].y == pytest.approx(top, abs=0.1)
    assert charts.line_chart(rollups.health_by_month([], [date(2026, 1, 1)])) is None


def test_the_line_chart_joins_consecutive_months():
    rounds = tuple(RoundResult(date(2026, m, 3), 50.0 + m, 3) for m in (1, 2, 4))
    outcomes = assessed(facts(rounds=rounds))
    chart = charts.line_chart(rollups.health_by_month(outcomes, rollups.month_span(outcomes, ProgramFilters())))
    [line] = chart.lines
    assert len(line.dots) == 3 and len(line.segments) == 1 and line.segments[0].count(",") == 2


def test_the_comparison_chart_scales_each_panel_and_shows_counts():
    chart = charts.comparison_chart(rollups.compare_by_focus(program()))
    transfer, health, rating = chart.panels
    augment, balanced, automate = transfer.bars
    assert augment.height == pytest.approx(0.75 * charts.COMPARE_PLOT, abs=0.1) and augment.text == "75%"
    assert balanced.height == 0 and balanced.text == "—" and balanced.count == 0
    assert health.bars[2].text == "45" and rating.bars[0].text == "4.5" and rating.bars[0].count == 2
    assert augment.y + augment.height == pytest.approx(chart.baseline_y)


def test_the_coverage_chart_splits_each_goal_by_status():
    coverage = rollups.goals_coverage(program(), [(1, "Faster answers"), (2, "Lower costs"), (3, "Happier")])
    chart = charts.coverage_chart(coverage)
    faster = chart.rows[0]
    assert [(s.status, s.count) for s in faster.segments] == [("active", 1), ("completed", 2)]
    assert faster.segments[1].width == pytest.approx(2 * faster.segments[0].width, abs=0.1)
    assert chart.rows[2].segments == () and chart.rows[2].total == 0
    assert charts.coverage_chart([]) is None
