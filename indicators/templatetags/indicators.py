"""`{% include "indicators/_strip.html" %}`: each KRI's latest value, band and sparkline (dashboard)."""

from django import template

from indicators.chart import sparkline_of
from indicators.selectors import kri_strip

register = template.Library()


@register.simple_tag
def kri_sparklines() -> list:
    """Two queries, whatever the number of KRIs: (KRI, its sparkline), red first."""
    return [(kri, sparkline_of(kri=kri, readings=readings)) for kri, readings in kri_strip()]
