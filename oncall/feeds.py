"""Calendar feeds (iCalendar, RFC 5545): a schedule's shifts, or one person's, as events."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from oncall.rotation import SchedulePlan, Shift


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _folded(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    raw, parts = line.encode(), []
    while len(raw) > 75:
        cut = 75
        while (raw[cut] & 0xC0) == 0x80:  # never inside a UTF-8 character
            cut -= 1
        parts.append(raw[:cut].decode())
        raw = b" " + raw[cut:]
    parts.append(raw.decode())
    return "\r\n".join(parts)


def shift_summary(plan: SchedulePlan, shift: Shift) -> str:
    if shift.is_gap:
        return _("Nobody on call · %(schedule)s") % {"schedule": plan.name}
    return _("On call: %(person)s · %(schedule)s") % {"person": shift.person, "schedule": plan.name}


def calendar(*, name: str, shifts: Iterable[tuple[SchedulePlan, Shift]], stamp: dt.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//RiskOps//On call//EN",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    for plan, shift in shifts:
        lines += [
            "BEGIN:VEVENT",
            f"UID:oncall-{plan.id}-{_utc(shift.starts_at)}-{getattr(shift.person, 'pk', 'gap')}@riskops",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(shift.starts_at)}",
            f"DTEND:{_utc(shift.ends_at)}",
            f"SUMMARY:{_text(shift_summary(plan, shift))}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_folded(line) for line in lines) + "\r\n"
