"""The geometry of a KRI's chart: its readings over time against the amber and red bands,
computed here and drawn as SVG by the template (no script, no charting library)."""

from dataclasses import dataclass, field

from indicators.models import KRI, Band, Direction, Reading
from indicators.rules import CHANGE, PREVIOUS, rule_parse

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 14, 30
TICKS = 5


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
    first: Reading | None = None
    last: Reading | None = None

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


def chart_of(*, kri: KRI, readings: list[Reading]) -> Chart:
    """`readings` oldest first."""
    chart = Chart()
    if not readings:
        return chart
    limits = band_limits(kri)
    finite = [edge for low, high, _band in limits for edge in (low, high) if abs(edge) != float("inf")]
    values = [reading.value for reading in readings] + finite
    low, high = min(values), max(values)
    margin = (high - low) * 0.08 or abs(high) * 0.1 or 1
    low, high = low - margin, high + margin
    top_edge, bottom_edge = TOP, chart.bottom_edge

    def y_of(value: float) -> float:
        value = min(max(value, low), high)
        return bottom_edge - (value - low) / (high - low) * (bottom_edge - top_edge)

    start, end = readings[0].measured_at, readings[-1].measured_at
    span = (end - start).total_seconds() or 1
    chart.points = [
        Point(
            x=LEFT + ((reading.measured_at - start).total_seconds() / span) * (chart.right_edge - LEFT)
            if len(readings) > 1
            else (LEFT + chart.right_edge) / 2,
            y=y_of(reading.value),
            band=reading.band,
            reading=reading,
        )
        for reading in readings
    ]
    chart.zones = [
        Zone(y=y_of(zone_high), height=max(y_of(zone_low) - y_of(zone_high), 0), band=band)
        for zone_low, zone_high, band in limits
    ]
    chart.ticks = [
        (y_of(low + (high - low) * step / (TICKS - 1)), f"{low + (high - low) * step / (TICKS - 1):.4g}")
        for step in range(TICKS)
    ]
    chart.first, chart.last = readings[0], readings[-1]
    return chart
