"""A Gantt chart's geometry: rows of spans and marks on one time axis, placed in percent of its
width. Pages draw it with templates/gantt.html (SVG without script, so it prints and keeps to the
content security policy); what the axis and the tooltips say is the page's to word.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# The axis steps a tick may take, the finest first; the first that gives at most MAX_TICKS wins.
TICK_STEPS = [
    dt.timedelta(minutes=minutes)
    for minutes in (1, 5, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 43200)
]
MAX_TICKS = 8
# Room after the last thing drawn, so a mark at the very end stays visible.
END_MARGIN = 0.06


@dataclass(frozen=True)
class Span:
    start: dt.datetime
    end: dt.datetime | None  # None: open, drawn to the axis' end
    kind: str
    title: str = ""
    inset: bool = False  # drawn thinner, over the span it sits on (what happened over what was planned)


@dataclass(frozen=True)
class Mark:
    at: dt.datetime
    kind: str
    title: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    spans: Sequence[Span] = ()
    marks: Sequence[Mark] = ()
    kind: str = ""
    note: str = ""  # written in the track, for a row with nothing to draw


@dataclass(frozen=True)
class Placed:
    x: float  # percent of the track's width
    width: float
    kind: str
    title: str
    open_end: bool = False
    inset: bool = False


@dataclass(frozen=True)
class PlacedRow:
    label: str
    kind: str
    spans: list[Placed] = field(default_factory=list)
    marks: list[Placed] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    rows: list[PlacedRow]
    ticks: list[Tick]


def _moments(rows: Sequence[Row]):
    for row in rows:
        for span in row.spans:
            yield span.start
            if span.end is not None:
                yield span.end
        for mark in row.marks:
            yield mark.at


def gantt(
    *,
    rows: Sequence[Row],
    start: dt.datetime,
    tick_label: Callable[[dt.timedelta, dt.timedelta], str],
    clock_rate: int = 1,
    end: dt.datetime | None = None,
) -> Chart:
    """`rows` placed on an axis from `start` to a little after the last moment any of them names,
    or after `end` if that is later (where what is still open has got to: now, or the end of it all).

    The ticks fall on round steps of plan time (a drill's clock runs `clock_rate` times faster);
    `tick_label(plan offset from start, plan step between ticks)` words each, all in one unit."""
    last = max([*_moments(rows), *([end] if end else [])], default=start)
    length = max(last - start, dt.timedelta(minutes=1)) * (1 + END_MARGIN)

    def x(at: dt.datetime) -> float:
        return round(100 * min(max((at - start) / length, 0.0), 1.0), 3)

    placed = []
    for row in rows:
        spans = [
            Placed(
                x=x(span.start),
                width=max(round((100.0 if span.end is None else x(span.end)) - x(span.start), 3), 0.4),
                kind=span.kind,
                title=span.title,
                open_end=span.end is None,
                inset=span.inset,
            )
            for span in row.spans
        ]
        marks = [Placed(x=x(mark.at), width=0, kind=mark.kind, title=mark.title) for mark in row.marks]
        placed.append(PlacedRow(label=row.label, kind=row.kind, spans=spans, marks=marks, note=row.note))
    plan_length = length * clock_rate
    step = next((step for step in TICK_STEPS if plan_length / step <= MAX_TICKS), TICK_STEPS[-1])
    ticks = []
    offset = dt.timedelta(0)
    while offset <= plan_length:
        ticks.append(Tick(x=x(start + offset / clock_rate), label=tick_label(offset, step)))
        offset += step
    return Chart(rows=placed, ticks=ticks)
