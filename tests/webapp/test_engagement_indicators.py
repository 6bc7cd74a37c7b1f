"""The engagement indicators and chart geometry on hand-computed cases (pure, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.engagements import charts
from webapp.engagements.indicators import (
    Answer,
    PlanLevel,
    RiskInputs,
    Trend,
    connection_health,
    health_trend,
    pulse_of,
    risk_reasons,
    session_coverage,
    transfer_progress,
)


def answer(safety=(3, 3, 3), trust=3, collaboration=3, clarity=3, workload=3) -> Answer:
    return Answer(*safety, peer_trust=trust, collaboration=collaboration, goal_clarity=clarity, workload=workload)


def test_progress_counts_the_gap_closed_clamped_to_the_target_and_never_below_baseline():
    levels = [
        PlanLevel("Prompting", baseline=1, target=3, final=3),  # gap 2, closed 2
        PlanLevel("Prompting", baseline=2, target=5, final=3),  # gap 3, closed 1
        PlanLevel("Python", baseline=1, target=4, final=None),  # gap 3, not assessed: closed 0
        PlanLevel("Python", baseline=2, target=3, final=5),  # gap 1, beyond target: closed 1
        PlanLevel("Review", baseline=3, target=4, final=2),  # gap 1, went down: closed 0
    ]
    progress = transfer_progress(levels)
    assert (progress.closed, progress.gap, progress.assessed, progress.items) == (4, 10, 4, 5)
    assert progress.share == pytest.approx(0.4)


def test_progress_of_an_empty_plan_or_a_plan_without_gap_is_undefined():
    assert transfer_progress([]).share is None
    assert transfer_progress([PlanLevel("Prompting", 3, 3, 4)]).share is None


def test_coverage_is_the_share_of_plan_skills_with_a_session():
    coverage = session_coverage({"Prompting", "Data analysis", "Python"}, {"Prompting", "Not in the plan"})
    assert coverage.covered == ("Prompting",)
    assert coverage.uncovered == ("Data analysis", "Python")
    assert coverage.share == pytest.approx(1 / 3)
    assert session_coverage(set(), {"Prompting"}).share is None


def test_results_stay_hidden_below_three_answers():
    assert pulse_of([]) is None
    assert pulse_of([answer(), answer()]) is None
    assert pulse_of([answer(), answer(), answer()]).answers == 3


def test_connection_health_averages_the_five_parts_with_workload_inverted():
    pulse = pulse_of(
        [
            answer(safety=(2, 3, 4), trust=2, collaboration=1, clarity=5, workload=4),
            answer(safety=(1, 1, 1), trust=3, collaboration=2, clarity=5, workload=4),
            answer(safety=(5, 5, 5), trust=4, collaboration=3, clarity=5, workload=4),
        ]
    )
    # safety 3, trust 3, collaboration 2, clarity 5, 6 - workload 2: mean 3 -> (3 - 1) / 4 * 100
    assert (pulse.safety, pulse.trust, pulse.collaboration, pulse.clarity, pulse.workload) == (3, 3, 2, 5, 4)
    assert connection_health(pulse) == pytest.approx(50.0)


@pytest.mark.parametrize(
    "given, expected",
    [
        (answer(safety=(5, 5, 5), trust=5, collaboration=5, clarity=5, workload=1), 100.0),
        (answer(safety=(1, 1, 1), trust=1, collaboration=1, clarity=1, workload=5), 0.0),
        (answer(safety=(4, 4, 4), trust=4, collaboration=4, clarity=4, workload=2), 75.0),
    ],
)
def test_connection_health_runs_from_0_to_100(given, expected):
    assert pulse_of([given] * 3).health == pytest.approx(expected)


def test_trend_compares_the_last_round_with_the_one_before():
    assert health_trend([50.0, 70.0, 55.0]) == Trend(last=55.0, previous=70.0)
    assert health_trend([50.0, 70.0, 55.0]).change == pytest.approx(-15.0)
    assert health_trend([60.0]).change is None and health_trend([]).last is None


def facts(**changes) -> RiskInputs:
    base = dict(
        active=True,
        today=date(2026, 3, 31),
        start_date=date(2026, 3, 1),
        end_date=date(2026, 6, 30),
        last_session=date(2026, 3, 30),
        trend=Trend(None, None),
        uncovered_skills=(),
    )
    return RiskInputs(**(base | changes))


def test_a_healthy_active_engagement_has_no_risk_flag():
    assert risk_reasons(facts()) == []


def test_risk_reasons_each_say_why():
    reasons = risk_reasons(
        facts(
            last_session=date(2026, 3, 10),
            trend=Trend(last=55.0, previous=70.0),
            end_date=date(2026, 4, 10),
            uncovered_skills=("Python",),
        )
    )
    assert reasons == [
        "No session in the last 21 days (more than 14).",
        "Connection health fell 15 points since the previous check-in.",
        "Little time left and no session yet for: Python.",
    ]


def test_risk_thresholds_are_inclusive_where_documented():
    assert risk_reasons(facts(last_session=date(2026, 3, 17))) == []  # 14 days: not yet
    assert risk_reasons(facts(trend=Trend(60.0, 70.0)))  # exactly 10 points down
    assert risk_reasons(facts(trend=Trend(61.0, 70.0))) == []


def test_no_session_counts_from_the_start_date():
    assert risk_reasons(facts(last_session=None, start_date=date(2026, 3, 25))) == []
    assert "No session in the last 30 days" in risk_reasons(facts(last_session=None))[0]


def test_uncovered_skills_flag_only_when_time_runs_short():
    early = facts(
        start_date=date(2026, 1, 1),
        end_date=date(2026, 5, 1),
        today=date(2026, 3, 1),
        last_session=date(2026, 2, 28),
        uncovered_skills=("Python",),
    )
    assert risk_reasons(early) == []  # 61 of 120 days left
    late = facts(
        start_date=date(2026, 1, 1),
        end_date=date(2026, 5, 1),
        today=date(2026, 4, 5),
        last_session=date(2026, 4, 4),
        uncovered_skills=("Python",),
    )
    assert risk_reasons(late) == ["Little time left and no session yet for: Python."]  # 26 of 120 days: < 25%


def test_only_active_engagements_carry_a_risk_flag():
    assert risk_reasons(facts(active=False, last_session=date(2025, 1, 1))) == []


def test_levels_chart_draws_one_group_of_bars_per_skill():
    chart = charts.levels_chart(
        [PlanLevel("Prompting", 1, 3, 4), PlanLevel("Prompting", 3, 5, None), PlanLevel("Python", 1, 2, None)]
    )
    prompting, python = chart.skills
    assert (prompting.before, prompting.target, prompting.after) == (2, 4, 4)
    assert python.after is None and python.bars[2].value is None
    plot_width = charts.WIDTH - charts.LABEL_WIDTH - 16
    assert prompting.bars[0].width == pytest.approx(round(2 / 5 * plot_width, 1))
    assert python.bars[0].y > prompting.bars[2].y
    assert charts.levels_chart([]) is None


def test_health_chart_maps_0_to_100_onto_the_plot():
    chart = charts.health_chart([("01 Mar", 100.0, 3), ("15 Mar", 0.0, 4)])
    top, bottom = chart.points
    assert top.y == charts.HEALTH_TOP and bottom.y == charts.HEALTH_HEIGHT - charts.HEALTH_BOTTOM
    assert top.x == charts.HEALTH_LEFT and bottom.x == charts.WIDTH - charts.HEALTH_RIGHT
    assert chart.polyline.count(",") == 2
    assert charts.health_chart([]) is None
