"""A person's notification rule: notices about a task they may acknowledge are told again every N
minutes until someone acknowledges it. The repeats are rows (notifications.models.Repeat), started
by notify_all() for messages that say what settles them, and stopped by whoever settles that: the
incidents app when a task is acknowledged, finished or skipped, or its incident resolved."""

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from notifications.models import NotificationRule, Repeat
from people.models import User

# A repeat comes at most every minute and at least once a day.
MIN_REPEAT_MINUTES, MAX_REPEAT_MINUTES = 1, 1440
REPEAT_BOUNDS_ERROR = _("Repeat every 1 to 1440 minutes, or leave it empty to be told once.")


def rule_for(*, user: User) -> NotificationRule:
    """The person's rule, or the default (told once; repeats by e-mail and chat) unsaved."""
    return NotificationRule.objects.filter(user=user).first() or NotificationRule(user=user)


@transaction.atomic
def rule_set(
    *,
    user: User,
    by,
    repeat_minutes: int | None,
    email: bool | None = None,
    chat: bool | None = None,
    now: dt.datetime | None = None,
) -> NotificationRule:
    """Sets the person's rule; a repeat outside the bounds is refused on its field, nothing written.
    Told once from now on (None), the person's live repeats stop."""
    if repeat_minutes is not None and not MIN_REPEAT_MINUTES <= repeat_minutes <= MAX_REPEAT_MINUTES:
        raise ValidationError({"repeat_minutes": [REPEAT_BOUNDS_ERROR]})
    rule, created = NotificationRule.objects.select_for_update().get_or_create(user=user)
    before = None if created else audit_values(rule)
    rule.repeat_minutes = repeat_minutes
    rule.email = rule.email if email is None else email
    rule.chat = rule.chat if chat is None else chat
    rule.save(update_fields=["repeat_minutes", "email", "chat"])
    if repeat_minutes is None:
        Repeat.objects.filter(recipient=user, stopped_at__isnull=True).update(
            stopped_at=now or timezone.now()
        )
    audit_record(rule, by=by, action=AuditAction.CREATED if created else AuditAction.UPDATED, before=before)
    return rule


def rule_channels(rules: Iterable[NotificationRule]) -> dict[int, frozenset[str]]:
    """Each person's repeat channels besides in-app, as notify_all's `channels` take them."""
    return {
        rule.user_id: frozenset(
            channel for channel, chosen in (("email", rule.email), ("chat", rule.chat)) if chosen
        )
        for rule in rules
    }


def repeats_begin(*, told: list[tuple], words: Callable, now: dt.datetime) -> None:
    """Starts a repeat for each (message, person, notification) whose person has a rule, keeping
    the message's `words(message, person)`; a person already repeated about the same thing keeps
    that repeat. One query to read the rules, one to write the repeats."""
    minutes = dict(
        NotificationRule.objects.filter(
            user__in={person.pk for _message, person, _notification in told}, repeat_minutes__isnull=False
        ).values_list("user_id", "repeat_minutes")
    )
    repeats = []
    for message, person, notification in told:
        if person.pk not in minutes:
            continue
        title, body = words(message, person)
        every = dt.timedelta(minutes=minutes[person.pk]) / max(message.clock_rate, 1)
        repeats.append(
            Repeat(
                notification=notification,
                recipient=person,
                until=message.repeat_until,
                incident_id=message.incident_id,
                title=title[: Repeat._meta.get_field("title").max_length],
                body=body,
                minutes=minutes[person.pk],
                every=every,
                next_at=now + every,
            )
        )
    Repeat.objects.bulk_create(repeats, ignore_conflicts=True)


def repeats_stop(*, until: Iterable[str] = (), incident_id: int | None = None, now: dt.datetime) -> int:
    """Stops the repeats settled by these keys, or every repeat about the incident; returns how many.
    A repeat being told as this runs is told once more at most, never after this commits."""
    live = Repeat.objects.filter(stopped_at__isnull=True)
    if incident_id is not None:
        live = live.filter(incident_id=incident_id)
    else:
        live = live.filter(until__in=list(until))
    return live.update(stopped_at=now)
