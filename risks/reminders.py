"""Overdue reviews and treatment actions: found by a periodic sweep, each owner told once.

Each reminder is claimed with a conditional UPDATE before anyone is told, so two workers (or a
task delivered twice) never tell the same owner twice.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notifications.services import notify
from notifications.wording import LocalTime
from risks.models import ActionStatus, Risk, RiskStatus, TreatmentAction


def reviews_remind_overdue(*, now: dt.datetime | None = None) -> int:
    """Tells the owner of each open risk whose review date passed; once per review date."""
    now = now or timezone.now()
    overdue = Q(status=RiskStatus.OPEN, next_review_at__lt=now) & (
        Q(review_reminded_for__isnull=True) | ~Q(review_reminded_for=F("next_review_at"))
    )
    told = 0
    for risk in Risk.objects.filter(overdue).select_related("owner"):
        with transaction.atomic():
            claimed = Risk.objects.filter(overdue, pk=risk.pk, next_review_at=risk.next_review_at).update(
                review_reminded_for=F("next_review_at")
            )
            if not claimed:
                continue
            notify(
                recipients=[risk.owner],
                kind="risk.review_overdue",
                title=format_lazy(_("Review overdue: {ref} {title}"), ref=risk.ref, title=risk.title),
                body=format_lazy(
                    _("The review of this risk was due {due}."), due=LocalTime(risk.next_review_at)
                ),
                url=reverse("risk-detail", args=[risk.pk]),
            )
        told += 1
    return told


def actions_remind_overdue(*, now: dt.datetime | None = None) -> int:
    """Tells the owner of each open treatment action past its due time; once per action."""
    now = now or timezone.now()
    overdue = Q(status=ActionStatus.OPEN, due_at__lt=now, notified_at__isnull=True)
    told = 0
    for action in TreatmentAction.objects.filter(overdue).select_related("owner", "risk"):
        with transaction.atomic():
            if not TreatmentAction.objects.filter(overdue, pk=action.pk).update(notified_at=now):
                continue
            notify(
                recipients=[action.owner],
                kind="risk.action_overdue",
                title=format_lazy(_("Treatment action overdue: {title}"), title=action.title),
                body=format_lazy(
                    _("{ref} {risk}: the action was due {due}."),
                    ref=action.risk.ref,
                    risk=action.risk.title,
                    due=LocalTime(action.due_at),
                ),
                url=reverse("risk-detail", args=[action.risk_id]),
            )
        told += 1
    return told
