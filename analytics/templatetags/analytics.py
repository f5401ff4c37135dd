"""`{% include "analytics/trends.html" %}` on the cockpit: the last quarter of real incidents."""

from django import template
from django.utils import timezone

from analytics.week_chart import quarter_charts

register = template.Library()


@register.simple_tag
def quarter_trends() -> dict:
    """Three queries: incidents, MTTA and MTTR per week over the last quarter."""
    return quarter_charts(now=timezone.now())
