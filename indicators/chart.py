"""The geometry of a KRI's chart: its readings over time against the amber and red bands,
computed here and drawn as SVG by the template (no script, no charting library)."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils import timezone

from indicators.models import KRI, Band, Direction, Reading
from indicators.rules import CHANGE, PREVIOUS, rule_parse

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 44, 14, 30
# A sparkline: the same chart, small, with no axes (the cockpit's KRI strip).
SPARK_WIDTH, SPARK_HEIGHT, SPARK_MARGIN = 160, 40, 4
# About this many values on the vertical axis (round steps: 1, 2, 2.5 or 5 times a power of ten),
# and this many dates under the chart.
TICKS = 5
DATES = 5


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    band: str
    reading: Reading


@dataclass(frozen=True)
class Zone:
    y: float
    height: float
    band: str


@dataclass(frozen=True)
class Threshold:
    """Where a band starts, drawn as a line labelled with its value at the right of the plot."""

    y: float
    label: str
    band: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    points: list[Point] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    thresholds: list[Threshold] = field(default_factory=list)
    dates: list[tuple[float, dt.datetime, str]] = field(default_factory=list)

    @property
    def plot_width(self) -> int:
        return self.right_edge - self.left

    @property
    def line(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


def band_limits(kri: KRI) -> list[tuple[float, float, str]]:
    """Value ranges (low, high) that are amber or red, where a fixed line exists: thresholds on the
    value, or percentages of a configured baseline. A change from the previous reading has none."""
    rule, _errors = rule_parse(kri.rule)
    inf = float("inf")
    if rule.type != CHANGE:
        if kri.direction == Direction.HIGHER_IS_WORSE:
            return [(kri.amber, kri.red, Band.AMBER), (kri.red, inf, Band.RED)]
        return [(kri.red, kri.amber, Band.AMBER), (-inf, kri.red, Band.RED)]
    if rule.baseline == PREVIOUS:
        return []
    base = abs(rule.baseline)
    up = [
        (rule.baseline + base * kri.amber / 100, rule.baseline + base * kri.red / 100, Band.AMBER),
        (rule.baseline + base * kri.red / 100, inf, Band.RED),
    ]
    down = [
        (rule.baseline - base * kri.red / 100, rule.baseline - base * kri.amber / 100, Band.AMBER),
        (-inf, rule.baseline - base * kri.red / 100, Band.RED),
    ]
    if rule.either_way:
        return up + down
    return up if kri.direction == Direction.HIGHER_IS_WORSE else down


def _round_step(rough: float) -> float:
    """The round step (1, 2, 2.5 or 5 times a power of ten) at or just above `rough`."""
    power = 10 ** math.floor(math.log10(rough))
    return next(factor * power for factor in (1, 2, 2.5, 5, 10) if rough <= factor * power * 1.0000001)


def _number(value: float) -> str:
    return f"{round(value, 9):g}"


def _thresholds(limits: list[tuple[float, float, str]], y_of) -> list[Threshold]:
    """The finite edge of each band on the side of green: a red band's finite edge, and an amber
    band's edge that is not also an edge of red."""
    red_edges = {edge for low, high, band in limits if band == Band.RED for edge in (low, high)}
    return [
        Threshold(y=y_of(edge), label=_number(edge), band=band)
        for low, high, band in limits
        for edge in (low, high)
        if math.isfinite(edge) and (band == Band.RED or edge not in red_edges)
    ]


def _dates(start: dt.datetime, end: dt.datetime, x_of) -> list[tuple[float, dt.datetime, str]]:
    """Up to DATES evenly spaced dates under the plot, each day once: (x, when, text-anchor)."""
    if start == end:
        return [(x_of(start), start, "middle")]
    moments = [start + (end - start) * step / (DATES - 1) for step in range(DATES)]
    days, dates = set(), []
    for index, when in enumerate(moments):
        day = timezone.localtime(when).date()
        if day in days:
            continue
        days.add(day)
        anchor = "start" if index == 0 else "end" if index == DATES - 1 else "middle"
        dates.append((x_of(when), when, anchor))
    return dates


def sparkline_of(*, kri: KRI, readings: list[Reading]) -> Chart:
    """The chart small, its points and bands only: `readings` oldest first."""
    small = Chart(
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        left=SPARK_MARGIN,
        right_edge=SPARK_WIDTH - SPARK_MARGIN,
        bottom_edge=SPARK_HEIGHT - SPARK_MARGIN,
    )
    return chart_of(kri=kri, readings=readings, chart=small, top_edge=SPARK_MARGIN)


def chart_of(*, kri: KRI, readings: list[Reading], chart: Chart | None = None, top_edge: int = TOP) -> Chart:
    """`readings` oldest first, drawn on `chart` (an empty full-size one unless given)."""
    chart = chart or Chart()
    if not readings:
        return chart
    limits = band_limits(kri)
    finite = [edge for low, high, _band in limits for edge in (low, high) if math.isfinite(edge)]
    values = [reading.value for reading in readings] + finite
    low, high = min(values), max(values)
    margin = (high - low) * 0.08 or abs(high) * 0.1 or 1
    step = _round_step((high - low + 2 * margin) / (TICKS - 1))
    low, high = math.floor((low - margin) / step) * step, math.ceil((high + margin) / step) * step
    bottom_edge = chart.bottom_edge

    def y_of(value: float) -> float:
        value = min(max(value, low), high)
        return bottom_edge - (value - low) / (high - low) * (bottom_edge - top_edge)

    start, end = readings[0].measured_at, readings[-1].measured_at
    span = (end - start).total_seconds()

    def x_of(when: dt.datetime) -> float:
        if not span:
            return (chart.left + chart.right_edge) / 2
        return chart.left + (when - start).total_seconds() / span * chart.plot_width

    chart.points = [
        Point(x=x_of(reading.measured_at), y=y_of(reading.value), band=reading.band, reading=reading)
        for reading in readings
    ]
    chart.zones = [
        Zone(y=y_of(zone_high), height=max(y_of(zone_low) - y_of(zone_high), 0), band=band)
        for zone_low, zone_high, band in limits
    ]
    chart.ticks = [
        (y_of(low + step * index), _number(low + step * index))
        for index in range(round((high - low) / step) + 1)
    ]
    chart.thresholds = _thresholds(limits, y_of)
    chart.dates = _dates(start, end, x_of)
    return chart
