"""The last quarter week by week, real incidents only: how many were declared, and their mean
times to acknowledge and to resolve. Three queries, whatever the number of incidents."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from analytics import selectors

WEEKS = 13  # a quarter


@dataclass(frozen=True)
class Week:
    starts: dt.date
    incidents: int
    mtta: float | None  # seconds; None: no incident of that week was acknowledged (or resolved)
    mttr: float | None


def _week_start(moment: dt.datetime) -> dt.date:
    day = timezone.localtime(moment).date()
    return day - dt.timedelta(days=day.weekday())


def _by_week(rows: list[dict]) -> dict[dt.date, float]:
    return {_week_start(row["key"]): row["value"] for row in rows}


def weekly_trends(*, now: dt.datetime) -> list[Week]:
    """The WEEKS weeks up to and including this one, oldest first; a week without incidents is there too."""
    first = _week_start(now) - dt.timedelta(weeks=WEEKS - 1)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    real = selectors.incidents_in(since=since).filter(drill=False)
    declared = {
        _week_start(row["week"]): row["n"]
        for row in real.annotate(week=TruncWeek("declared_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    }
    mtta = _by_week(selectors.mean_time_to_acknowledge(real, by="week"))
    mttr = _by_week(selectors.mean_time_to_resolve(real, by="week"))
    weeks = [first + dt.timedelta(weeks=n) for n in range(WEEKS)]
    return [Week(day, declared.get(day, 0), mtta.get(day), mttr.get(day)) for day in weeks]
