"""Geometry for the engagement page's two small SVG charts, as plain numbers.

The templates draw them with SVG attributes only (no inline styles or scripts, for a strict
CSP), and each chart comes with a table of the same numbers for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from .indicators import PlanLevel

WIDTH = 560
LABEL_WIDTH = 200
BAR = 9
BAR_GAP = 2
GROUP_GAP = 14
TOP = 28
SCALE_MAX = 5
SERIES = (("before", "Baseline", "#9aa5b8"), ("target", "Target", "#2c5fd1"), ("after", "Final", "#1f7a4d"))


@dataclass(frozen=True)
class MeanLevels:
    """Levels to draw that are means, not one plan item's whole numbers (a team's, say)."""

    skill: str
    baseline: float
    target: float
    final: float | None


@dataclass(frozen=True)
class Bar:
    series: str
    colour: str
    x: float
    y: float
    width: float
    value: float | None


@dataclass(frozen=True)
class SkillLevels:
    skill: str
    before: float
    target: float
    after: float | None
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class LevelsChart:
    width: int
    height: int
    plot_x: int
    plot_width: int
    ticks: tuple[tuple[int, float], ...]
    legend: tuple[tuple[str, str, float], ...]
    skills: tuple[SkillLevels, ...]


def levels_chart(levels: Sequence[PlanLevel | MeanLevels]) -> LevelsChart | None:
    """Mean baseline, target and final level per skill (over team members), as bars."""
    skills = list(dict.fromkeys(level.skill for level in levels))
    if not skills:
        return None
    plot_width = WIDTH - LABEL_WIDTH - 16
    group_height = 3 * BAR + 2 * BAR_GAP
    rows = []
    for index, skill in enumerate(skills):
        top = TOP + index * (group_height + GROUP_GAP)
        rows.append(_skill_levels(skill, [lvl for lvl in levels if lvl.skill == skill], top, plot_width))
    height = TOP + len(skills) * (group_height + GROUP_GAP) + 8
    ticks = tuple((value, LABEL_WIDTH + value / SCALE_MAX * plot_width) for value in range(SCALE_MAX + 1))
    legend = tuple((label, colour, LABEL_WIDTH + i * 90.0) for i, (_, label, colour) in enumerate(SERIES))
    return LevelsChart(WIDTH, height, LABEL_WIDTH, plot_width, ticks, legend, tuple(rows))


def _skill_levels(skill: str, items: list[PlanLevel | MeanLevels], top: float, plot_width: int) -> SkillLevels:
    finals = [item.final for item in items if item.final is not None]
    before, target = fmean(item.baseline for item in items), fmean(item.target for item in items)
    after = fmean(finals) if finals else None
    values = {"before": before, "target": target, "after": after}
    bars = tuple(
        Bar(
            series=key,
            colour=colour,
            x=LABEL_WIDTH,
            y=top + i * (BAR + BAR_GAP),
            width=round((values[key] or 0) / SCALE_MAX * plot_width, 1),
            value=values[key],
        )
        for i, (key, _, colour) in enumerate(SERIES)
    )
    return SkillLevels(skill, before, target, after, top + BAR + BAR / 2 + 4, bars)


@dataclass(frozen=True)
class HealthPoint:
    label: str
    health: float
    answers: int
    x: float
    y: float


@dataclass(frozen=True)
class HealthChart:
    width: int
    height: int
    left: int
    right: int
    gridlines: tuple[tuple[int, float], ...]
    points: tuple[HealthPoint, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


HEALTH_HEIGHT = 180
HEALTH_TOP, HEALTH_BOTTOM, HEALTH_LEFT, HEALTH_RIGHT = 12, 28, 40, 32


def health_chart(rounds: list[tuple[str, float, int]]) -> HealthChart | None:
    """Connection health (0-100) per round with results, oldest first: (label, health, answers)."""
    if not rounds:
        return None
    plot_height = HEALTH_HEIGHT - HEALTH_TOP - HEALTH_BOTTOM
    plot_width = WIDTH - HEALTH_LEFT - HEALTH_RIGHT
    step = plot_width / (len(rounds) - 1) if len(rounds) > 1 else 0

    def y_of(health: float) -> float:
        return HEALTH_TOP + (100 - health) / 100 * plot_height

    points = tuple(
        HealthPoint(
            label,
            round(health, 1),
            answers,
            HEALTH_LEFT + (i * step if len(rounds) > 1 else plot_width / 2),
            round(y_of(health), 1),
        )
        for i, (label, health, answers) in enumerate(rounds)
    )
    gridlines = tuple((value, y_of(value)) for value in (0, 50, 100))
    return HealthChart(WIDTH, HEALTH_HEIGHT, HEALTH_LEFT, WIDTH - HEALTH_RIGHT, gridlines, points)
