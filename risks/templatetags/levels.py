"""A risk's level as a badge, in the reader's language.

What risks/_level.html drew, written in Python: the register draws one for each of its fifty rows
and the cockpit one for each risk of each live incident.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop

register = template.Library()

BADGES = {
    "low": ("level-low", gettext_noop("Low")),
    "medium": ("level-medium", gettext_noop("Medium")),
    "high": ("level-high", gettext_noop("High")),
    "critical": ("level-critical", gettext_noop("Critical")),
}
# Each ends its line, as the include did: pages stay byte for byte what they were.
BADGE = '<span class="badge {}">{}</span>\n'


@register.simple_tag
def risk_level(level, not_rated=False):
    """The level's badge; "Not rated" (when asked) or a dash for a risk without one."""
    if (badge := BADGES.get(str(level))) is not None:
        return format_html(BADGE, badge[0], gettext(badge[1]))
    if not_rated:
        return format_html(BADGE, "not-rated", gettext("Not rated"))
    return format_html('<span class="muted">—</span>\n')
