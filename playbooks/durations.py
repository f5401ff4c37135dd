"""Durations as the contract writes them: ISO 8601 ("PT6H", "P2D") or integer seconds."""

import datetime as dt
import re

from django.utils.dateparse import parse_duration
from django.utils.translation import gettext as _

from core.limits import MAX_DURATION

# Only the ISO 8601 form: parse_duration alone would also take "6:00:00" or "3600".
ISO_DURATION = re.compile(
    r"^P(?=\d|T\d)(\d+(?:[.,]\d+)?D)?(T(?=\d)(\d+(?:[.,]\d+)?H)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?S)?)?$"
)


class DurationError(ValueError):
    pass


def duration_parse(value) -> dt.timedelta:
    """A timedelta from ISO 8601 text or integer seconds; never negative, at most MAX_DURATION
    (ten years), so that any deadline computed from it stays within what dates can hold."""
    if isinstance(value, bool):
        raise DurationError(_("Give an ISO 8601 duration such as PT6H or P2D, or a number of seconds."))
    if isinstance(value, int | float):
        if value != value:  # NaN
            raise DurationError(_("Give an ISO 8601 duration such as PT6H or P2D, or a number of seconds."))
        if value < 0:
            raise DurationError(_("A duration must not be negative."))
        return _bounded(lambda: dt.timedelta(seconds=value))
    if isinstance(value, str):
        text = value.strip().upper()
        if text.startswith("-"):
            raise DurationError(_("A duration must not be negative."))
        if ISO_DURATION.match(text):
            return _bounded(lambda: parse_duration(text))
    raise DurationError(_("Give an ISO 8601 duration such as PT6H or P2D, or a number of seconds."))


def _bounded(make) -> dt.timedelta:
    try:
        duration = make()
    except (OverflowError, ValueError):
        duration = None  # past what a timedelta holds (999,999,999 days)
    if duration is None or duration > MAX_DURATION:
        raise DurationError(_("At most %(days)d days.") % {"days": MAX_DURATION.days})
    return duration


def duration_text(value: dt.timedelta) -> str:
    """The contract's compact form, in hours, minutes and seconds: PT0S, PT30M, PT6H, PT48H."""
    seconds = value.total_seconds()
    hours, rest = divmod(int(seconds), 3600)
    minutes, whole_seconds = divmod(rest, 60)
    fraction = seconds - int(seconds)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if whole_seconds or fraction:
        parts.append(f"{whole_seconds + fraction:g}S")
    text = "".join(parts)
    return f"PT{text}" if text else "PT0S"
