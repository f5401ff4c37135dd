"""Telling again what nobody acknowledged: beat's sweep fires the repeats that are due, each once.

A batch locks its due repeats (skipping those another sweep holds), moves each one's next time on
and tells its people in the same transaction: two sweeps never tell the same repeat twice, and a
repeat stopped meanwhile (the task acknowledged) is no longer due when its lock is released.
"""

import datetime as dt

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationRule, Repeat
from notifications.rules import rule_channels
from notifications.services import Message, notify_all
from notifications.wording import Duration

BATCH = 500


def repeats_fire(*, now: dt.datetime) -> int:
    """Tells each due repeat's person again, once, and schedules the next; returns how many were told."""
    with transaction.atomic():
        due = list(
            Repeat.objects.filter(stopped_at__isnull=True, next_at__lte=now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("notification", "recipient")
            .order_by("next_at", "pk")[:BATCH]
        )
        if not due:
            return 0
        Repeat.objects.filter(pk__in=[repeat.pk for repeat in due]).update(
            next_at=ExpressionWrapper(Value(now) + F("every"), output_field=DateTimeField()),
            times=F("times") + 1,
        )
        channels = rule_channels(
            NotificationRule.objects.filter(user__in={repeat.recipient_id for repeat in due})
        )
        notify_all([_message(repeat, channels.get(repeat.recipient_id, frozenset())) for repeat in due])
    return len(due)


def _message(repeat: Repeat, channels: frozenset[str]) -> Message:
    """The first notice again, saying it is a repeat and how often it comes; a drill's keeps its
    DRILL mark and counts in plan time."""
    first = repeat.notification
    every = Duration(dt.timedelta(minutes=repeat.minutes))
    how_often = (
        format_lazy(_("Told again every {length} of plan time until someone acknowledges it."), length=every)
        if first.drill
        else format_lazy(_("Told again every {length} until someone acknowledges it."), length=every)
    )
    return Message(
        recipients=[repeat.recipient],
        kind=first.kind,
        title=format_lazy(_("Still unacknowledged: {title}"), title=repeat.title),
        body=format_lazy("{body}\n\n{how_often}", body=repeat.body, how_often=how_often)
        if repeat.body
        else how_often,
        url=first.url,
        incident_id=first.incident_id,
        task_id=first.task_id,
        tag=first.tag,
        drill=first.drill,
        participants=frozenset({repeat.recipient_id}),
        channels={repeat.recipient_id: channels},
    )
