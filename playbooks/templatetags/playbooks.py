import datetime as dt

from django import template
from django.utils.translation import gettext as _

from playbooks.models import party_name
from playbooks.raci_chart import LETTERS

register = template.Library()


@register.filter
def span(value: dt.timedelta | None) -> str:
    """A playbook offset for people: "2 h 30 min", "7 d"."""
    if value is None:
        return "∞"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s d") % {"n": days})
    if hours:
        parts.append(_("%(n)s h") % {"n": hours})
    if minutes or not parts:
        parts.append(_("%(n)s min") % {"n": minutes})
    return " ".join(parts)


@register.filter
def raci_letter(role: str) -> str:
    return LETTERS[role]


@register.filter
def raci_party(assignment) -> str:
    """A RACI party by name: a person, a team, or "On call: <team>"."""
    return str(party_name(assignment))
