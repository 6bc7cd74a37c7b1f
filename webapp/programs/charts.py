"""Geometry for the dashboard's SVG charts, as plain numbers (the skill-uplift chart reuses the
engagement page's levels chart). Templates draw them with SVG attributes only, for the strict
CSP, and put a table of the same numbers behind each one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .outcomes import FOCUS_LABELS, FOCUSES, STATUSES
from .rollups import FocusComparison, GoalCoverage, MonthFigures

WIDTH = 560
FOCUS_COLOURS = {"augment": "#1f7a4d", "balanced": "#7a4fb3", "automate": "#b4690e"}
STATUS_COLOURS = {"proposed": "#d9a441", "active": "#2c5fd1", "completed": "#1f7a4d", "cancelled": "#9aa5b8"}


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    x: float


def _legend(entries: list[tuple[str, str]], step: float, left: float = 0) -> tuple[LegendEntry, ...]:
    return tuple(LegendEntry(label, colour, left + i * step) for i, (label, colour) in enumerate(entries))


FOCUS_LEGEND = [(FOCUS_LABELS[focus], FOCUS_COLOURS[focus]) for focus in FOCUSES]


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    value: float
    count: int
    month: str


@dataclass(frozen=True)
class Line:
    focus: str
    colour: str
    segments: tuple[str, ...]  # polyline points; a month without data breaks the line
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    gridlines: tuple[tuple[int, float], ...]
    months: tuple[tuple[str, float], ...]
    lines: tuple[Line, ...]
    legend: tuple[LegendEntry, ...]


LINE_HEIGHT, LINE_TOP, LINE_BOTTOM, LINE_LEFT, LINE_RIGHT = 210, 30, 28, 40, 36


def month_label(month: date) -> str:
    return month.strftime("%b %Y")


def line_chart(rows: list[MonthFigures], scale: float = 1.0) -> LineChart | None:
    """One line per focus over the months, on 0-100 (values × `scale`); None without a value."""
    if not any(f.mean is not None for row in rows for f in row.by_focus.values()):
        return None
    plot_width = WIDTH - LINE_LEFT - LINE_RIGHT
    step = plot_width / (len(rows) - 1) if len(rows) > 1 else 0
    xs = [LINE_LEFT + (i * step if len(rows) > 1 else plot_width / 2) for i in range(len(rows))]
    every = max(1, round(len(rows) / 6))
    months = tuple((month_label(row.month), round(x, 1)) for i, (row, x) in enumerate(zip(rows, xs)) if i % every == 0)
    lines = tuple(_line(focus, rows, xs, scale) for focus in FOCUSES)
    gridlines = tuple((value, _line_y(value)) for value in (0, 25, 50, 75, 100))
    return LineChart(
        WIDTH,
        LINE_HEIGHT,
        LINE_LEFT,
        WIDTH - LINE_RIGHT,
        gridlines,
        months,
        tuple(line for line in lines if line.dots),
        _legend(FOCUS_LEGEND, 170, LINE_LEFT),
    )


def _line_y(value: float) -> float:
    return round(LINE_TOP + (100 - value) / 100 * (LINE_HEIGHT - LINE_TOP - LINE_BOTTOM), 1)


def _line(focus: str, rows: list[MonthFigures], xs: list[float], scale: float) -> Line:
    dots: list[Dot] = []
    segments: list[list[Dot]] = []  # runs of months with a figure; a month without one breaks the line
    run: list[Dot] = []
    for row, x in zip(rows, xs):
        figure = row.by_focus[focus]
        if figure.mean is None:
            segments.append(run)
            run = []
            continue
        dot = Dot(
            round(x, 1),
            _line_y(figure.mean * scale),
            round(figure.mean * scale, 1),
            figure.count,
            month_label(row.month),
        )
        dots.append(dot)
        run.append(dot)
    segments.append(run)
    points = tuple(" ".join(f"{d.x},{d.y}" for d in run) for run in segments if len(run) > 1)
    return Line(focus, FOCUS_COLOURS[focus], points, tuple(dots))


@dataclass(frozen=True)
class ComparisonBar:
    focus: str
    colour: str
    x: float
    y: float
    width: float
    height: float
    text: str  # the value as shown above the bar
    count: int


@dataclass(frozen=True)
class Panel:
    title: str
    centre: float
    bars: tuple[ComparisonBar, ...]


@dataclass(frozen=True)
class ComparisonChart:
    width: int
    height: int
    baseline_y: float
    panels: tuple[Panel, ...]
    legend: tuple[LegendEntry, ...]


COMPARE_HEIGHT, COMPARE_TOP, COMPARE_PLOT, BAR_WIDTH, BAR_GAP = 240, 58, 130, 34, 10
METRICS = (  # (title, attribute, maximum, how a value reads)
    ("Knowledge transfer", "progress", 1.0, lambda v: f"{v * 100:.0f}%"),
    ("Connection health", "health", 100.0, lambda v: f"{v:.0f}"),
    ("Outcome rating", "rating", 5.0, lambda v: f"{v:.1f}"),
)


def comparison_chart(comparisons: list[FocusComparison]) -> ComparisonChart:
    """Three panels (transfer, health, rating), a bar per focus in each, with its count below."""
    panel_width = WIDTH / len(METRICS)
    baseline = COMPARE_TOP + COMPARE_PLOT
    panels = []
    for index, (title, attribute, maximum, shown) in enumerate(METRICS):
        group = len(comparisons) * BAR_WIDTH + (len(comparisons) - 1) * BAR_GAP
        left = index * panel_width + (panel_width - group) / 2
        bars = []
        for i, comparison in enumerate(comparisons):
            figure = getattr(comparison, attribute)
            height = 0.0 if figure.mean is None else round(figure.mean / maximum * COMPARE_PLOT, 1)
            bars.append(
                ComparisonBar(
                    comparison.focus,
                    FOCUS_COLOURS[comparison.focus],
                    round(left + i * (BAR_WIDTH + BAR_GAP), 1),
                    round(baseline - height, 1),
                    BAR_WIDTH,
                    height,
                    "—" if figure.mean is None else shown(figure.mean),
                    figure.count,
                )
            )
        panels.append(Panel(title, round(index * panel_width + panel_width / 2, 1), tuple(bars)))
    return ComparisonChart(WIDTH, COMPARE_HEIGHT, baseline, tuple(panels), _legend(FOCUS_LEGEND, 180, 8))


@dataclass(frozen=True)
class Segment:
    status: str
    colour: str
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class GoalBar:
    goal: str
    y: float
    label_y: float
    segments: tuple[Segment, ...]
    total: int
    total_x: float


@dataclass(frozen=True)
class CoverageChart:
    width: int
    height: int
    plot_x: int
    rows: tuple[GoalBar, ...]
    legend: tuple[LegendEntry, ...]


COVER_LABEL, COVER_TOP, COVER_BAR, COVER_GAP = 210, 30, 16, 12


def coverage_chart(coverage: list[GoalCoverage]) -> CoverageChart | None:
    """A bar per company goal, split by how its engagements stand or ended."""
    if not coverage:
        return None
    plot_width = WIDTH - COVER_LABEL - 40
    most = max((row.total for row in coverage), default=0) or 1
    rows = []
    for index, row in enumerate(coverage):
        y = COVER_TOP + index * (COVER_BAR + COVER_GAP)
        x, segments = float(COVER_LABEL), []
        for status in STATUSES:
            width = round(row.by_status[status] / most * plot_width, 1)
            if width:
                segments.append(Segment(status, STATUS_COLOURS[status], round(x, 1), width, row.by_status[status]))
            x += width
        rows.append(GoalBar(row.goal, y, y + COVER_BAR - 4, tuple(segments), row.total, round(x + 6, 1)))
    height = COVER_TOP + len(coverage) * (COVER_BAR + COVER_GAP)
    legend = _legend([(status, STATUS_COLOURS[status]) for status in STATUSES], 100, COVER_LABEL - 100)
    return CoverageChart(WIDTH, height, COVER_LABEL, tuple(rows), legend)
