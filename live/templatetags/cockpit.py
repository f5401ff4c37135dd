"""The cockpit's tier bar, drawn in Python: three windows of sixty incidents, each with its two
offsets, its progress and its clock, cost the template engine about as much as the rest of the
incident's card."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html, format_html_join

from playbooks.templatetags.playbooks import span

register = template.Library()

WINDOW = (
    '\n      <li class="tier-{}"><span class="tier-window"><strong>{}</strong> {}{}</span>\n'
    '        <progress max="1" value="{}"{}>{} %</progress></li>'
)
CLOCK = ' data-progress-since="{}" data-progress-from="{}" data-progress-to="{}" data-scale="{}"'


@register.simple_tag
def tier_windows(row):
    """The <li> of each of the incident's tiers (row: a live.cockpit.CockpitIncident)."""
    incident = row.incident
    return format_html_join("", WINDOW, (_window(window, incident) for window in row.tiers))


def _window(window, incident) -> tuple:
    tier = window.tier
    starts = span(tier.starts_after) if tier.starts_after else "0"
    ends = "+" if tier.ends_after is None else f"–{span(tier.ends_after)}"
    clock = ""
    if window.state == "current" and tier.ends_after is not None:
        clock = format_html(
            CLOCK,
            incident.declared_at.isoformat(),
            _seconds(tier.starts_after),
            _seconds(tier.ends_after),
            incident.clock_rate,
        )
    progress = f"{window.progress:.3f}"  # as stringformat:'.3f' wrote it, and widthratio the percentage
    return (window.state, tier.key, starts, ends, progress, clock, round(window.progress * 100))


def _seconds(offset) -> str:
    """A whole number of seconds, as floatformat:'0' writes it."""
    return str(Decimal(repr(offset.total_seconds())).quantize(Decimal(1), ROUND_HALF_UP))
