"""Sense checks on the register's dates: a review date or a due date set now is not in the past,
and not more than MAX_YEARS_AHEAD years away (a typo such as 2206 for 2026, or 1900)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_YEARS_AHEAD = 10
MAX_AHEAD = dt.timedelta(days=round(365.25 * MAX_YEARS_AHEAD))


def moment_errors(field: str, value: dt.datetime | None, *, now: dt.datetime) -> dict[str, list[str]]:
    """The field-level errors of a date being set (none when it is empty or sensible)."""
    if value is None:
        return {}
    if value < now:
        return {field: [_("This date is in the past: give a date to come.")]}
    if value > now + MAX_AHEAD:
        return {
            field: [
                _("This date is more than %(years)s years away: check the year.") % {"years": MAX_YEARS_AHEAD}
            ]
        }
    return {}


def check_moment(field: str, value: dt.datetime | None, *, now: dt.datetime) -> None:
    if errors := moment_errors(field, value, now=now):
        raise ValidationError(errors)
