"""Whether a freelancer fits a need's terms: rate against budget, weekly hours, time-zone gap;
and the hard limits a ranking filters by."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from matching.types import AugmentationFocus, NeedDoc, ProfileDoc

NEUTRAL = 0.5  # a fit component the profile says nothing about
OVER_BUDGET_TO_ZERO = 0.5  # a rate 50% above the budget's top scores 0 on rate
TZ_FREE_HOURS, TZ_ZERO_HOURS = 3.0, 9.0  # up to 3 h apart costs nothing; 9 h apart scores 0


@dataclass(frozen=True)
class FitFilters:
    """Hard limits: a candidate outside them is not ranked at all. What a profile or need does
    not state (no rate, no time zone) is not held against it: the fit part scores that instead."""

    max_rate: float | None = None
    min_weekly_hours: float | None = None
    timezone: str | None = None  # the place gaps are measured from
    max_timezone_gap_hours: float | None = None
    min_augmentation: float | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, float) and math.isnan(value):
                raise ValueError(f"filter {field.name!r} is NaN")

    def admits_profile(self, profile: ProfileDoc, focus: AugmentationFocus) -> bool:
        """Whether a freelancer passes: rate, weekly hours, time-zone gap, augmentation focus."""
        return (
            _at_most(profile.hourly_rate, self.max_rate)
            and _at_most(self.min_weekly_hours, profile.weekly_hours)
            and _at_most(self.min_augmentation, focus.score)
            and self._near(profile.timezone)
        )

    def admits_need(self, need: NeedDoc) -> bool:
        """Whether a need passes, for a freelancer browsing: its time-zone gap, and for
        `min_augmentation` its intent to augment (rate and hours limits are the leader's)."""
        return _at_most(self.min_augmentation, need.augment_intent) and self._near(need.timezone)

    def _near(self, other: str | None) -> bool:
        if self.timezone is None or self.max_timezone_gap_hours is None:
            return True
        gap = timezone_gap_hours(self.timezone, other)
        return gap is None or gap <= self.max_timezone_gap_hours


def _at_most(value: float | None, limit: float | None) -> bool:
    return value is None or limit is None or value <= limit


def timezone_gap_hours(a: str | None, b: str | None, at: datetime | None = None) -> float | None:
    """Hours between two IANA zones' clocks at `at` (now by default), 0-12; None if either is unknown."""
    minute = int((at or datetime.now(UTC)).timestamp() // 60)
    try:
        offsets = [_utc_offset_hours(name, minute) for name in (a, b)]
    except TypeError:  # not a hashable name
        return None
    first, second = offsets
    if first is None or second is None:
        return None
    difference = abs(first - second) % 24
    return min(difference, 24 - difference)


@functools.lru_cache(maxsize=4096)
def _utc_offset_hours(name: str | None, minute: int) -> float | None:
    """A zone's UTC offset during one minute (offsets change only on whole minutes); a ranking
    asks for the same few zones hundreds of times."""
    try:
        offset = datetime.fromtimestamp(minute * 60, ZoneInfo(name)).utcoffset()  # type: ignore[arg-type]  # None and non-strings are caught below
        return offset.total_seconds() / 3600  # type: ignore[union-attr]  # an aware datetime always has an offset
    except (ZoneInfoNotFoundError, ValueError, TypeError, AttributeError):
        return None


def fit_part(
    need: NeedDoc, profile: ProfileDoc, at: datetime | None = None, *, explain: bool = True
) -> tuple[float | None, list[str]]:
    """(mean of the rate, hours and time-zone scores the need asks about, or None; remarks, left
    empty with explain=False)."""
    scores, notes = [], []
    if need.budget_max is not None:
        rate = profile.hourly_rate
        if rate is None:
            scores.append(NEUTRAL)
            notes.append("no rate stated")
        else:
            over = max(0.0, rate - need.budget_max) / max(need.budget_max, 1e-9)
            scores.append(max(0.0, 1 - over / OVER_BUDGET_TO_ZERO))
            if over:
                notes.append(f"asks {rate:g}/h, above the budget of {need.budget_max:g}/h")
    if need.hours_per_week:
        hours = profile.weekly_hours
        scores.append(NEUTRAL if hours is None else min(1.0, hours / need.hours_per_week))
        if hours is None:
            notes.append("no weekly hours stated")
        elif hours < need.hours_per_week:
            notes.append(f"available {hours:g} h/week of the {need.hours_per_week:g} wanted")
    if need.timezone and timezone_gap_hours(need.timezone, "UTC") is not None:
        gap = timezone_gap_hours(need.timezone, profile.timezone, at)
        if gap is None:
            scores.append(NEUTRAL)
            notes.append("no time zone stated")
        else:
            scores.append(min(1.0, max(0.0, 1 - (gap - TZ_FREE_HOURS) / (TZ_ZERO_HOURS - TZ_FREE_HOURS))))
            if gap >= TZ_FREE_HOURS:
                notes.append(f"{gap:g} hours' time difference")
    return (sum(scores) / len(scores) if scores else None), notes if explain else []
