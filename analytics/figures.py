"""All the figures of one analytics view: four queries, whatever the number of incidents."""

import datetime as dt

from analytics import selectors

FIGURES = ("mtta", "mttr", "on_time", "escalations")


def figures_compute(*, by: str, now: dt.datetime, since=None, until=None) -> dict[str, list[dict]]:
    incidents = selectors.incidents_in(since=since, until=until)
    figures = {
        "mtta": selectors.mean_time_to_acknowledge(incidents, by=by),
        "mttr": selectors.mean_time_to_resolve(incidents, by=by),
        "on_time": selectors.on_time_rate(incidents, by=by, now=now),
        "escalations": selectors.escalations_per_incident(incidents, by=by),
    }
    for rows in figures.values():
        for row in rows:
            row["key"] = key_text(row["key"])
    return figures


def key_text(key) -> str:
    """Months as 2025-03, everything else as text."""
    if isinstance(key, dt.datetime | dt.date):
        return key.strftime("%Y-%m")
    return "" if key is None else str(key)


def csv_rows(figures: dict[str, list[dict]]):
    yield ["figure", "drill", "key", "tier", "value", "count"]
    for name in FIGURES:
        for row in figures[name]:
            yield [
                name,
                str(row["drill"]).lower(),
                row["key"],
                row.get("tier", ""),
                row["value"],
                row["count"],
            ]
