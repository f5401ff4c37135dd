"""Follow-up actions: owners, due dates and reminders (once when due, once when overdue).

Each reminder is claimed by a conditional UPDATE in the transaction that sends it, so however
many beat ticks or workers reach the same action, its owner is told once.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from core.errors import InvalidTransition
from incidents.services import incident_lock
from notifications.services import notify
from reviews.models import FollowUpAction, FollowUpState, ReviewStatus

# How long after its due time an open follow-up counts as overdue (and its owner and the
# incident's commander are told again).
OVERDUE_AFTER = dt.timedelta(days=1)
DUE_TITLE = _("Follow-up due: {title}")
OVERDUE_TITLE = _("Follow-up overdue: {title}")


@transaction.atomic
def follow_up_create(*, incident_id: int, by, title: str, owner, due_at: dt.datetime) -> FollowUpAction:
    if not (title or "").strip():
        raise ValidationError({"title": [_("Say what needs doing.")]})
    incident = incident_lock(incident_id)
    review = getattr(incident, "review", None)
    if review is None or review.status == ReviewStatus.WAIVED:
        raise InvalidTransition(str(_("Follow-up actions belong to a post-incident review.")))
    action = FollowUpAction.objects.create(review=review, title=title.strip(), owner=owner, due_at=due_at)
    audit_record(action, by=by, action=AuditAction.CREATED)
    return action


@transaction.atomic
def follow_up_complete(*, follow_up_id: int, by, now: dt.datetime | None = None) -> FollowUpAction:
    action = FollowUpAction.objects.select_for_update().get(pk=follow_up_id)
    if action.state != FollowUpState.OPEN:
        raise InvalidTransition(str(_("This follow-up action is already done.")))
    before = audit_values(action)
    action.state, action.done_at = FollowUpState.DONE, now or timezone.now()
    action.save(update_fields=["state", "done_at"])
    audit_record(action, by=by, action=AuditAction.UPDATED, before=before)
    return action


def follow_ups_remind(*, now: dt.datetime) -> int:
    """Beat calls this every minute; returns the number of reminders sent."""
    due = FollowUpAction.objects.filter(state=FollowUpState.OPEN, due_reminded_at=None, due_at__lte=now)
    overdue = FollowUpAction.objects.filter(
        state=FollowUpState.OPEN, overdue_reminded_at=None, due_at__lte=now - OVERDUE_AFTER
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        sent += _remind(pk, now=now, claim_field="due_reminded_at", overdue=False)
    for pk in overdue.values_list("pk", flat=True):
        sent += _remind(pk, now=now, claim_field="overdue_reminded_at", overdue=True)
    return sent


@transaction.atomic
def _remind(pk: int, *, now: dt.datetime, claim_field: str, overdue: bool) -> int:
    claimed = FollowUpAction.objects.filter(pk=pk, state=FollowUpState.OPEN, **{claim_field: None}).update(
        **{claim_field: now}
    )
    if not claimed:
        return 0
    action = FollowUpAction.objects.select_related("owner", "review__incident__commander").get(pk=pk)
    incident = action.review.incident
    recipients = [action.owner, incident.commander] if overdue else [action.owner]
    notify(
        recipients=recipients,
        kind="follow_up.overdue" if overdue else "follow_up.due",
        title=format_lazy(OVERDUE_TITLE if overdue else DUE_TITLE, title=action.title),
        url=reverse("incident-review", args=[incident.pk]),
        incident_id=incident.pk,
    )
    return 1
