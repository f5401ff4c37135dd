"""The kinds of notification people can set preferences for, in the order shown to them.

notify() accepts any kind; a kind not listed here simply follows the defaults.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "incident.declared": _("An incident is declared"),
    "tier.started": _("A response tier starts"),
    "task.opened": _("A task of mine opens"),
    "task.overdue": _("A task is overdue"),
    "escalation": _("An escalation reaches me"),
    "incident.resolved": _("An incident is resolved"),
    "kri.breach": _("A key risk indicator breaches"),
    "risk.review_overdue": _("A risk review is overdue"),
    "risk.action_overdue": _("A treatment action is overdue"),
}

# What someone who never changed a preference receives besides the in-app inbox.
DEFAULT_EMAIL = True
DEFAULT_WEBHOOK = True
