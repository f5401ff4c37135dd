"""`{% include "analytics/tiles.html" %}`: MTTA and MTTR tiles of real incidents, for the dashboard."""

from django import template

from analytics import selectors
from analytics.charts import duration_text

register = template.Library()


@register.simple_tag
def response_tiles() -> dict:
    """Two queries: MTTA and MTTR over every real incident."""
    incidents = selectors.incidents_in().filter(drill=False)
    tiles = {}
    for name, figure in (
        ("mtta", selectors.mean_time_to_acknowledge),
        ("mttr", selectors.mean_time_to_resolve),
    ):
        total = figure(incidents, by="all")
        tiles[name] = duration_text(total[0]["value"]) if total else None
    return tiles
