"""A moment on a page: when, in the reader's time zone, and how long until (or since) it.

What incidents/moment.html drew, written in Python: the cockpit draws a hundred of them, and an
include with four date filters cost about a quarter of a millisecond each.
"""

import datetime as dt

from django import template
from django.template.defaultfilters import date
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

MOMENT = (
    '<time datetime="{}" title="{}">{}</time> '
    '<span class="countdown" data-countdown="{}" data-past="{}" data-scale="{}"></span>\n'
)  # the line's end too, as the include had it: pages stay byte for byte what they were


@register.simple_tag
def moment(at, past="ago", scale=1):
    """The time (month-day hour:minute; the full date and zone on hover) and a countdown that
    countdown.js keeps ticking, `past` ("ago" or "overdue") once it has passed, at `scale` plan
    seconds a second."""
    if isinstance(at, dt.datetime) and timezone.is_aware(at):
        local = timezone.localtime(at)
        iso = local.isoformat()
        # As the date filter's "T": no zone name for a time a clock change makes ambiguous.
        ambiguous = local.tzinfo.utcoffset(local.replace(fold=not local.fold)) != local.utcoffset()
        zone = "" if ambiguous else str(local.tzname())
        shown = f"{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"
        title = f"{local.year:04d}-{shown[:5]} {shown[6:]}:{local.second:02d} {zone}"
    else:  # anything else as the date filter shows it
        iso, title, shown = date(at, "c"), date(at, "Y-m-d H:i:s T"), date(at, "m-d H:i")
    return format_html(MOMENT, iso, title, shown, iso, past or "ago", scale or 1)
