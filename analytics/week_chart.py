"""A figure week by week as columns (SVG drawn by analytics/week_chart.html): a column per week,
a gap — never a zero, never a dash — where a week has no data. The quarter's three charts are
drawn by analytics/trends.html, on the analytics page and the cockpit."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from analytics.charts import duration_text
from analytics.trends import Week, weekly_trends

HEIGHT = 60  # the plot's height in the SVG's units; its width is one unit per week


@dataclass(frozen=True)
class Column:
    x: int
    y: float
    height: float
    title: str


@dataclass(frozen=True)
class WeekChart:
    columns: list[Column]
    weeks: int
    latest_text: str  # the latest week with data, worded; empty when there is none

    @property
    def empty(self) -> bool:
        """Nothing to draw: no week has data, or every week's is zero."""
        return not any(column.height for column in self.columns)


def week_chart(weeks: list[Week], *, value, text) -> WeekChart:
    """`value(week)` → a number or None; `text(number)` words it."""
    values = [value(week) for week in weeks]
    top = max((v for v in values if v), default=0) or 1
    columns = []
    for x, (week, v) in enumerate(zip(weeks, values, strict=True)):
        if v is None:
            continue
        height = round(HEIGHT * v / top, 2)
        columns.append(Column(x=x, y=HEIGHT - height, height=height, title=f"{week.starts:%m-%d}: {text(v)}"))
    latest = next((text(v) for v in reversed(values) if v is not None), "")
    return WeekChart(columns=columns, weeks=len(weeks), latest_text=latest)


def quarter_charts(*, now: dt.datetime) -> dict:
    """The last quarter's incidents, MTTA and MTTR as week charts, and the first week's date."""
    weeks = weekly_trends(now=now)
    figures = [
        (_("Incidents declared"), lambda week: week.incidents, lambda n: f"{n:g}"),
        (_("Mean time to acknowledge"), lambda week: week.mtta, duration_text),
        (_("Mean time to resolve"), lambda week: week.mttr, duration_text),
    ]
    return {
        "first_week": weeks[0].starts,
        "charts": [(title, week_chart(weeks, value=value, text=text)) for title, value, text in figures],
    }
