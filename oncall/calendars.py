"""Working days: the official calendar of a schedule (Monday to Friday, or China mainland's public
holidays and make-up working days, 调休, from the chinese-calendar package), with the
organisation's own calendar days over it."""

import datetime as dt
from collections.abc import Mapping

import chinese_calendar

from oncall.models import DayKind, WorkingCalendar


def is_official_working_day(day: dt.date, *, calendar: str) -> bool:
    if calendar == WorkingCalendar.CHINA:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the package does not know yet: plain weekdays
            return day.weekday() < 5
    return day.weekday() < 5


def is_working_day(day: dt.date, *, calendar: str, own_days: Mapping[dt.date, str]) -> bool:
    """`own_days`: the organisation's calendar days, date → DayKind."""
    if day in own_days:
        return own_days[day] == DayKind.WORKING_DAY
    return is_official_working_day(day, calendar=calendar)
