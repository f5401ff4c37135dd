"""Words for times and durations in what people are told: rendered when each recipient's copy is
made, in their language and time zone (services._notification activates both), never as a code."""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import ngettext


class LocalTime:
    """A moment, written in the reader's time zone and language when turned into text."""

    def __init__(self, moment: dt.datetime):
        self.moment = moment

    def __str__(self) -> str:
        local = timezone.localtime(self.moment)
        return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({timezone.get_current_timezone_name()})"


class Duration:
    """A length of time in words: "1 hour 5 minutes", "1小时5分钟"; under a minute, seconds."""

    def __init__(self, length: dt.timedelta):
        self.length = length

    def __str__(self) -> str:
        return duration_words(self.length)


def duration_words(length: dt.timedelta) -> str:
    seconds = max(int(length.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [
        ngettext("%(n)d day", "%(n)d days", days) % {"n": days} if days else "",
        ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} if hours else "",
        ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes} if minutes and not days else "",
        ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
        if seconds and not (days or hours)
        else "",
    ]
    words = [part for part in parts if part]
    if not words:
        return ngettext("%(n)d second", "%(n)d seconds", 0) % {"n": 0}
    return " ".join(words)
