"""The engagement's indicators: pure functions on plain data, each with its formula.

Nothing here touches Flask or the database; `overview.py` turns rows into these inputs. Levels
are on the plan's 1-5 scale, check-in answers on 1-5 Likert scales.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import fmean

MIN_ANSWERS = 3  # fewer answers than this and a round's results stay hidden
QUIET_DAYS = 14  # an active engagement without a session for longer is at risk
TREND_DROP = 10.0  # points of connection health lost since the previous round that flag a risk
LATE_SHARE = 0.25  # "late": less than this share of the planned time left ...
LATE_DAYS = 14  # ... or the end date at most this many days away
LEVELS = (1, 2, 3, 4, 5)  # the plan's scale: 1 aware .. 5 expert


@dataclass(frozen=True)
class PlanLevel:
    skill: str
    baseline: int
    target: int
    final: int | None = None
    followup: int | None = None  # the leader's assessment at the follow-up


@dataclass(frozen=True)
class Progress:
    """Share of the plan's skill gap closed; `share` is None when the plan has no gap."""

    closed: int
    gap: int
    assessed: int
    items: int

    @property
    def share(self) -> float | None:
        return self.closed / self.gap if self.gap else None


def transfer_progress(levels: list[PlanLevel]) -> Progress:
    """Knowledge-transfer progress = Σ clamp(current − baseline, 0, target − baseline) / Σ (target − baseline).

    current is the final level where one is recorded, else the baseline: progress counts only
    levels someone assessed, never a guess. Gains past the target and losses count as 0.
    """
    gap = sum(max(item.target - item.baseline, 0) for item in levels)
    closed = sum(_closed(item) for item in levels)
    assessed = sum(1 for item in levels if item.final is not None)
    return Progress(closed=closed, gap=gap, assessed=assessed, items=len(levels))


def _closed(item: PlanLevel) -> int:
    current = item.final if item.final is not None else item.baseline
    return min(max(current - item.baseline, 0), max(item.target - item.baseline, 0))


@dataclass(frozen=True)
class Kept:
    """Share of the closed gap still held at follow-up; `share` is None until an item that closed
    some of its gap has a follow-up level."""

    kept: int
    closed: int
    assessed: int
    items: int

    @property
    def share(self) -> float | None:
        return self.kept / self.closed if self.closed else None


def capability_kept(levels: list[PlanLevel]) -> Kept:
    """Capability kept = Σ clamp(follow-up − baseline, 0, closed) ÷ Σ closed, over the plan items
    that closed some of their gap and have a follow-up level; closed = clamp(final − baseline, 0,
    target − baseline), as in knowledge transfer. Levels gained since the end don't count."""
    assessed = [item for item in levels if item.followup is not None and _closed(item) > 0]
    closed = sum(_closed(item) for item in assessed)
    kept = sum(
        min(max((item.followup or 0) - item.baseline, 0), _closed(item)) for item in assessed
    )  # followup is set on every assessed item
    return Kept(kept=kept, closed=closed, assessed=len(assessed), items=sum(1 for item in levels if _closed(item) > 0))


@dataclass(frozen=True)
class Coverage:
    """Plan skills that got at least one session; `share` is None for an empty plan."""

    covered: tuple[str, ...]
    uncovered: tuple[str, ...]

    @property
    def share(self) -> float | None:
        total = len(self.covered) + len(self.uncovered)
        return len(self.covered) / total if total else None


def session_coverage(plan_skills: set[str], served_skills: set[str]) -> Coverage:
    """Session coverage = plan skills served by at least one session / plan skills.

    A skill counts as served when any session was logged against any plan item of that skill.
    """
    covered = sorted(plan_skills & served_skills, key=str.lower)
    uncovered = sorted(plan_skills - served_skills, key=str.lower)
    return Coverage(covered=tuple(covered), uncovered=tuple(uncovered))


@dataclass(frozen=True)
class Answer:
    """One anonymous check-in answer, every item on 1-5."""

    safety_mistakes: int
    safety_risks: int
    safety_asking: int
    peer_trust: int
    collaboration: int
    goal_clarity: int
    workload: int


@dataclass(frozen=True)
class Pulse:
    """A round's averages (only ever built from at least MIN_ANSWERS answers)."""

    answers: int
    safety: float
    trust: float
    collaboration: float
    clarity: float
    workload: float

    @property
    def health(self) -> float:
        return connection_health(self)


def pulse_of(answers: list[Answer]) -> Pulse | None:
    """The round's averages, or None below MIN_ANSWERS answers: small groups stay anonymous."""
    if len(answers) < MIN_ANSWERS:
        return None
    return Pulse(
        answers=len(answers),
        safety=fmean((a.safety_mistakes + a.safety_risks + a.safety_asking) / 3 for a in answers),
        trust=fmean(a.peer_trust for a in answers),
        collaboration=fmean(a.collaboration for a in answers),
        clarity=fmean(a.goal_clarity for a in answers),
        workload=fmean(a.workload for a in answers),
    )


def connection_health(pulse: Pulse) -> float:
    """Connection health = (mean(safety, trust, collaboration, clarity, 6 − workload) − 1) / 4 × 100.

    safety is the mean of the three psychological-safety items; workload is inverted because
    a heavier load is worse. Every part is on 1-5, so the result runs from 0 to 100.
    """
    parts = (pulse.safety, pulse.trust, pulse.collaboration, pulse.clarity, 6 - pulse.workload)
    return (fmean(parts) - 1) / 4 * 100


@dataclass(frozen=True)
class Trend:
    last: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.last is None or self.previous is None:
            return None
        return self.last - self.previous


def health_trend(healths: list[float]) -> Trend:
    """Last round's connection health against the previous one (rounds oldest first)."""
    last = healths[-1] if healths else None
    previous = healths[-2] if len(healths) > 1 else None
    return Trend(last=last, previous=previous)


@dataclass(frozen=True)
class RiskInputs:
    active: bool
    today: date
    start_date: date | None
    end_date: date | None
    last_session: date | None
    trend: Trend
    uncovered_skills: tuple[str, ...]


def risk_reasons(facts: RiskInputs) -> list[str]:
    """Why an active engagement is at risk; an empty list means no flag.

    - no session for more than QUIET_DAYS days (counted from the start when none was logged);
    - connection health down by TREND_DROP points or more since the previous round;
    - plan skills without any session when less than LATE_SHARE of the time is left or the
      end date is at most LATE_DAYS days away.
    """
    if not facts.active:
        return []
    reasons = []
    quiet = _days_quiet(facts)
    if quiet is not None and quiet > QUIET_DAYS:
        reasons.append(f"No session in the last {quiet} days (more than {QUIET_DAYS}).")
    change = facts.trend.change
    if change is not None and change <= -TREND_DROP:
        reasons.append(f"Connection health fell {abs(change):.0f} points since the previous check-in.")
    if facts.uncovered_skills and _late(facts):
        reasons.append("Little time left and no session yet for: " + ", ".join(facts.uncovered_skills) + ".")
    return reasons


def _days_quiet(facts: RiskInputs) -> int | None:
    since = facts.last_session or facts.start_date
    return (facts.today - since).days if since else None


def _late(facts: RiskInputs) -> bool:
    if facts.end_date is None:
        return False
    days_left = (facts.end_date - facts.today).days
    if days_left <= LATE_DAYS:
        return True
    if facts.start_date is None or facts.end_date <= facts.start_date:
        return False
    return days_left / (facts.end_date - facts.start_date).days < LATE_SHARE
