"""The kinds of notification people can set preferences for, in the order shown to them.

They are exactly the kinds the code sends (tests/notifications/test_kinds.py checks it), so every
notification someone receives can be turned off, and no preference waits for one that never comes.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "tier.started": _("A response tier starts"),
    "task.opened": _("A task of mine opens"),
    "task.overdue": _("A task is overdue"),
    "escalation": _("An escalation reaches me"),
    "update.due": _("A status update I owe is due"),
    "status.update": _("A status update on an incident I follow"),
    "role.assigned": _("I am given a role in an incident"),
    "follow_up.due": _("A follow-up action of mine is due"),
    "follow_up.overdue": _("A follow-up action is overdue"),
    "kri.breach": _("A key risk indicator breaches"),
    "kri.missing": _("A key risk indicator misses its readings"),
    "risk.review_overdue": _("A risk review is overdue"),
    "risk.action_overdue": _("A treatment action is overdue"),
    "risk.escalated": _("A risk review escalates a risk"),
    "risk.acceptance_requested": _("A risk acceptance awaits a decision"),
    "risk.acceptance_approved": _("A risk acceptance is approved"),
    "risk.acceptance_declined": _("A risk acceptance is declined"),
    "risk.acceptance_lapsed": _("A risk acceptance lapses"),
    "oncall.shift": _("My on-call shift starts or ends"),
    "oncall.warning": _("An on-call gap, or someone on call nobody can reach, in my team's schedule"),
    "digest": _("My daily executive digest"),
}

# What someone who never changed a preference receives besides the in-app inbox.
DEFAULT_EMAIL = True
DEFAULT_WEBHOOK = True
