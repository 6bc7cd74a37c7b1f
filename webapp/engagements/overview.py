"""Everything the engagement page shows, gathered once: rows turned into the indicators' plain
inputs, the indicators, the charts and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models import EngagementStatus, TeamMember
from . import charts, indicators
from .checkins.services import RoundSummary, round_summaries
from .followups.services import FollowupSummary, followup_summary
from .plan.services import team_members
from .services import TRANSITIONS, Seat
from .timeline import Entry, timeline


@dataclass(frozen=True)
class Overview:
    seat: Seat
    members: list[TeamMember]
    progress: indicators.Progress
    kept: indicators.Kept
    followup: FollowupSummary
    coverage: indicators.Coverage
    rounds: list[RoundSummary]
    trend: indicators.Trend
    risks: list[str]
    last_session: date | None
    levels_chart: charts.LevelsChart | None
    health_chart: charts.HealthChart | None
    timeline: list[Entry]

    @property
    def transitions(self) -> tuple[EngagementStatus, ...]:
        return TRANSITIONS[self.seat.engagement.status] if self.seat.can_edit else ()

    @property
    def agreed_time(self) -> str | None:
        return agreed_time(self.seat.engagement)


def agreed_time(engagement) -> str | None:
    """ "12 h/week for 8 weeks (96 h)": the weekly hours, over the engagement's dates when both are
    set, else over the need's duration."""
    per_week = engagement.agreed_hours
    if not per_week:
        return None
    weeks = engagement.need.duration_weeks
    if engagement.start_date and engagement.end_date:
        weeks = max(1, round(((engagement.end_date - engagement.start_date).days + 1) / 7))
    if not weeks:
        return f"{per_week} h/week"
    return f"{per_week} h/week for {weeks} week{'s' if weeks != 1 else ''} ({per_week * weeks} h)"


def plan_levels(seat: Seat) -> list[indicators.PlanLevel]:
    return [
        indicators.PlanLevel(
            item.skill_label, item.baseline_level, item.target_level, item.final_level, item.followup_level
        )
        for item in seat.engagement.plan_items
    ]


def overview(seat: Seat, today: date | None = None) -> Overview:
    engagement = seat.engagement
    today = today or date.today()
    levels = plan_levels(seat)
    served = {item.skill_label for session in engagement.sessions for item in session.plan_items}
    coverage = indicators.session_coverage({level.skill for level in levels}, served)
    rounds = round_summaries(engagement)
    with_results = [(summary, summary.pulse) for summary in rounds if summary.pulse is not None]
    trend = indicators.health_trend([pulse.health for _, pulse in with_results])
    last_session = max((session.held_on for session in engagement.sessions), default=None)
    risks = indicators.risk_reasons(
        indicators.RiskInputs(
            active=engagement.status is EngagementStatus.ACTIVE,
            today=today,
            start_date=engagement.start_date,
            end_date=engagement.end_date,
            last_session=last_session,
            trend=trend,
            uncovered_skills=coverage.uncovered,
        )
    )
    health_points = [
        (summary.checkin.opened_at.strftime("%d %b"), pulse.health, summary.answered) for summary, pulse in with_results
    ]
    return Overview(
        seat=seat,
        members=team_members(engagement),
        progress=indicators.transfer_progress(levels),
        kept=indicators.capability_kept(levels),
        followup=followup_summary(engagement),
        coverage=coverage,
        rounds=rounds,
        trend=trend,
        risks=risks,
        last_session=last_session,
        levels_chart=charts.levels_chart(levels),
        health_chart=charts.health_chart(health_points),
        timeline=timeline(engagement, rounds),
    )
