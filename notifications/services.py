"""Writes: telling people things, delivering what they were told, reading it, preferences."""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from notifications import senders
from notifications.bell import bell_ring_on_commit
from notifications.kinds import KINDS
from notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    DrillChoice,
    DrillPreference,
    Notification,
    Preference,
    Subscription,
    SubscriptionScope,
)
from notifications.rules import repeats_begin
from notifications.selectors import DrillBook, RouteBook, notification_get
from people.models import User

logger = logging.getLogger(__name__)

# A delivery is tried this many times in all, then marked failed.
MAX_ATTEMPTS = 5
# A claim older than this is taken to belong to a worker that died while sending.
CLAIM_LEASE = dt.timedelta(minutes=5)

TITLE_LENGTH = Notification._meta.get_field("title").max_length


class DeliveryFailed(Exception):
    """This attempt failed and another will follow (the delivery task retries on it)."""


@dataclass(frozen=True)
class Message:
    """One thing to tell some people. `title` and `body` may be lazy translations: each is
    rendered per recipient, in their own language."""

    recipients: Iterable[User]
    kind: str
    title: Any
    body: Any = ""
    url: str = ""
    incident_id: int | None = None
    task_id: int | None = None
    # Who may act on that task: only their copies carry a link to acknowledge it (None: everyone).
    actors: frozenset[int] | None = None
    tag: str = ""  # "SEV1"…"SEV4" or "DRILL": the e-mail subject's first word
    # A drill's message: marked DRILL in every channel, and told only as each person's drill
    # preference says. `participants` are the ids of the people the drill names (RACI, commander).
    drill: bool = False
    participants: frozenset[int] = frozenset()
    # A subscription's message: per person, the channels their subscriptions chose besides in-app
    # ("email", "chat": their own webhooks, never a team's). None: the usual routes.
    channels: dict[int, frozenset[str]] | None = None
    # What settles the message (e.g. "task:12"): the people whose copy carries the task and whose rule
    # says so are told again every N minutes until repeats_stop() is called with it. A drill's N
    # minutes are plan time: `clock_rate` times shorter in real time.
    repeat_until: str = ""
    clock_rate: int = 1


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title,
    body="",
    url: str = "",
    incident_id: int | None = None,
) -> list[Notification]:
    """Tells each distinct, active recipient, in their own language, in-app at once and by their
    other channels after the caller's transaction commits. Never fails because a channel is down."""
    return notify_all(
        [Message(recipients=recipients, kind=kind, title=title, body=body, url=url, incident_id=incident_id)]
    )


@transaction.atomic
def notify_all(messages: Sequence[Message]) -> list[Notification]:
    """Several messages told at once (a batch of timers firing): the same as one notify() per
    message, with a constant number of queries however many messages and people there are."""
    audiences = [
        [person for person in dict.fromkeys(message.recipients) if person.is_active] for message in messages
    ]
    everyone = list({person.pk: person for people in audiences for person in people}.values())
    if not everyone:
        return []
    drills = DrillBook(people=everyone if any(message.drill for message in messages) else [])
    audiences = [
        drills.audience(message, people) for message, people in zip(messages, audiences, strict=True)
    ]
    everyone = list({person.pk: person for people in audiences for person in people}.values())
    if not everyone:
        return []
    now = timezone.now()
    book = RouteBook(people=everyone, kinds={message.kind for message in messages})
    notifications, deliveries, repeated = [], [], []
    for message, people in zip(messages, audiences, strict=True):
        told = {person.pk: _notification(message, person, now) for person in people}
        notifications += told.values()
        repeated += [
            (message, person, told[person.pk])
            for person in people
            if message.repeat_until and told[person.pk].task_id is not None
        ]
        routes = book.routes(people=people, kind=message.kind)
        if message.channels is not None:
            routes = routes.chosen(message.channels)
        deliveries += [
            _delivery(message, told[person_id], Channel.EMAIL, None, now)
            for person_id in drills.email(message, routes.email)
        ] + [
            _delivery(message, told[person_id], Channel.WEBHOOK, endpoint, now)
            for endpoint, person_id in routes.webhooks
        ]
    Notification.objects.bulk_create(notifications)
    if repeated:
        repeats_begin(told=repeated, words=_words, now=now)
    bell_ring_on_commit(user_ids=[person.pk for person in everyone])
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        at_once = [delivery.pk for delivery in deliveries if not delivery.group_key]
        # One message per group, when its window ends; the group's other deliveries go with it.
        grouped = {delivery.group_key: delivery for delivery in deliveries if delivery.group_key}
        later = [(delivery.pk, delivery.send_after) for delivery in grouped.values()]
        transaction.on_commit(lambda: deliveries_enqueue(delivery_ids=at_once, later=later), robust=True)
    return notifications


# The notices that come in bursts (a batch of timers, an incident's tasks falling due together).
GROUPED_KINDS = {"task.overdue", "escalation"}


def _delivery(
    message: Message, notification: Notification, channel: str, endpoint, now: dt.datetime
) -> Delivery:
    """A delivery; an incident's overdue and escalation notices are grouped per person (or team
    channel), incident and window, and sent when the window ends."""
    delivery = Delivery(notification=notification, channel=channel, endpoint=endpoint, created_at=now)
    if message.incident_id and message.kind in GROUPED_KINDS:
        window = max(settings.NOTIFICATION_GROUP_SECONDS, 1)
        start = int(now.timestamp()) // window * window
        whom = (
            f"team{endpoint.pk}" if endpoint is not None and endpoint.team_id else notification.recipient_id
        )
        delivery.group_key = f"{message.incident_id}:{whom}:{channel}:{getattr(endpoint, 'pk', '')}:{start}"
        delivery.send_after = dt.datetime.fromtimestamp(start + window, tz=dt.UTC)
    return delivery


def _words(message: Message, person: User) -> tuple[str, str]:
    """The message's title and body in the person's language and time zone."""
    with translation.override(person.language), timezone.override(person.timezone):
        return str(message.title), str(message.body)


def _notification(message: Message, person: User, now: dt.datetime) -> Notification:
    """The person's copy, in their language and time zone; a drill's says DRILL in its title and body."""
    title, body = _words(message, person)
    with translation.override(person.language), timezone.override(person.timezone):
        if message.drill:
            title = _("[DRILL] %(title)s") % {"title": title}
            body = "\n\n".join(
                part for part in (str(_("DRILL: an exercise, not a real incident.")), body) if part
            )
        return Notification(
            recipient=person,
            kind=message.kind,
            title=title[:TITLE_LENGTH],
            body=body,
            url=message.url,
            incident_id=message.incident_id,
            task_id=message.task_id if message.actors is None or person.pk in message.actors else None,
            tag="DRILL" if message.drill else message.tag,
            drill=message.drill,
            created_at=now,
        )


def deliveries_enqueue(*, delivery_ids: list[int], later: Sequence[tuple[int, dt.datetime]] = ()) -> None:
    """One task per delivery, so a slow or failing channel never holds up another; `later`: one per
    group, sent when the group's window ends (at most a minute: never a long ETA)."""
    for delivery_id in delivery_ids:
        current_app.send_task("notifications.deliver", args=[delivery_id])
    for delivery_id, send_after in later:
        current_app.send_task("notifications.deliver", args=[delivery_id], eta=send_after)


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> str:
    """Claims the delivery, sends it, records the outcome; returns the state it ends in.

    A delivery already sent, failed, or being sent by another worker is left alone, so a
    redelivered task never sends twice. Raises DeliveryFailed when a retry should follow.
    """
    now = now or timezone.now()
    claimable = Q(state=DeliveryState.PENDING) | Q(
        state=DeliveryState.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    group_key, send_after = Delivery.objects.filter(pk=delivery_id).values_list(
        "group_key", "send_after"
    ).first() or ("", None)
    if send_after is not None and send_after > now:
        return DeliveryState.PENDING  # its window is still open: the group's message comes then
    # A grouped delivery is claimed with every pending one of its group: one message for them all.
    mine = Q(group_key=group_key) if group_key else Q(pk=delivery_id)
    claimed = Delivery.objects.filter(claimable, mine).update(
        state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return Delivery.objects.filter(pk=delivery_id).values_list("state", flat=True).first() or ""
    batch = list(
        Delivery.objects.select_related("notification__recipient", "endpoint")
        .filter(mine, state=DeliveryState.SENDING, claimed_at=now)
        .order_by("notification__created_at", "pk")
    )
    first, notifications = batch[0], [delivery.notification for delivery in batch]
    try:
        if first.channel == Channel.EMAIL:
            senders.send_email(notifications)
        else:
            senders.send_webhook(first.endpoint, notifications)
    except senders.SendError as error:
        return _record_failure(batch=batch, error=str(error), claimed_at=now)
    _record(batch=batch, claimed_at=now, state=DeliveryState.SENT, sent_at=timezone.now(), last_error="")
    return DeliveryState.SENT


def _record_failure(*, batch: list[Delivery], error: str, claimed_at: dt.datetime) -> str:
    final = batch[0].attempts >= MAX_ATTEMPTS
    state = DeliveryState.FAILED if final else DeliveryState.PENDING
    _record(batch=batch, claimed_at=claimed_at, state=state, last_error=error)
    logger.warning("delivery %s attempt %s failed: %s", batch[0].pk, batch[0].attempts, error)
    if not final:
        raise DeliveryFailed(error)
    return state


def _record(*, batch: list[Delivery], claimed_at: dt.datetime, **outcome) -> None:
    """Writes the outcome only while the claim is still ours."""
    Delivery.objects.filter(
        pk__in=[delivery.pk for delivery in batch], state=DeliveryState.SENDING, claimed_at=claimed_at
    ).update(**outcome)


def deliveries_requeue_stalled(*, now: dt.datetime | None = None, older_than=CLAIM_LEASE) -> list[int]:
    """Queues again every delivery that nobody is working on any more: its message was lost
    (broker down at commit, Redis restarted) or its worker died while sending."""
    now = now or timezone.now()
    stalled = Delivery.objects.filter(
        Q(state=DeliveryState.PENDING, created_at__lt=now - older_than, claimed_at__isnull=True)
        | Q(state=DeliveryState.PENDING, claimed_at__lt=now - older_than)
        | Q(state=DeliveryState.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    )
    delivery_ids = list(stalled.values_list("pk", flat=True)[:1000])
    deliveries_enqueue(delivery_ids=delivery_ids)
    return delivery_ids


def notification_mark_read(
    *, user: User, notification_id: int, now: dt.datetime | None = None
) -> Notification:
    """Marks one of the person's own notifications read (once: reading again changes nothing)."""
    notification = notification_get(user=user, notification_id=notification_id)
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    ):
        bell_ring_on_commit(user_ids=[user.pk])
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User, now: dt.datetime | None = None) -> int:
    """Marks every unread notification of the person read; returns how many."""
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    if marked:
        bell_ring_on_commit(user_ids=[user.pk])
    return marked


@transaction.atomic
def preference_set(
    *, user: User, by, kind: str, email: bool | None = None, webhook: bool | None = None
) -> Preference:
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Unknown kind of notification.")]})
    preference, created = Preference.objects.select_for_update().get_or_create(user=user, kind=kind)
    before = None if created else audit_values(preference)
    if email is not None:
        preference.email = email
    if webhook is not None:
        preference.webhook = webhook
    preference.save(update_fields=["email", "webhook"])
    action = AuditAction.CREATED if created else AuditAction.UPDATED
    audit_record(preference, by=by, action=action, before=before)
    return preference


@transaction.atomic
def drill_preference_set(*, user: User, by, choice: str) -> DrillPreference:
    """How the person hears about drills: in-app and chat when they take part (the default), all
    channels whenever a drill tells them, or none."""
    if choice not in DrillChoice.values:
        raise ValidationError({"drills": [_("Choose in-app, all channels or none.")]})
    preference, created = DrillPreference.objects.select_for_update().get_or_create(user=user)
    before = None if created else audit_values(preference)
    preference.choice = choice
    preference.save(update_fields=["choice"])
    audit_record(
        preference, by=by, action=AuditAction.CREATED if created else AuditAction.UPDATED, before=before
    )
    return preference


@transaction.atomic
def preferences_set_all(
    *, user: User, by, email_kinds: set[str], webhook_kinds: set[str], drills: str | None = None
) -> None:
    """The whole preferences form at once: the kinds ticked for e-mail and for webhooks, and drills."""
    if drills is not None:
        drill_preference_set(user=user, by=by, choice=drills)
    for kind in KINDS:
        preference_set(user=user, by=by, kind=kind, email=kind in email_kinds, webhook=kind in webhook_kinds)


@transaction.atomic
def deliveries_retry_failed(*, delivery_ids: list[int]) -> list[int]:
    """An administrator's second chance for failed deliveries: attempts start again from zero."""
    failed = Delivery.objects.select_for_update().filter(pk__in=delivery_ids, state=DeliveryState.FAILED)
    retried = list(failed.values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=retried).update(state=DeliveryState.PENDING, attempts=0, claimed_at=None)
    transaction.on_commit(lambda: deliveries_enqueue(delivery_ids=retried), robust=True)
    return retried


def notifications_purge(*, before: dt.datetime) -> int:
    """Deletes notifications read before `before` whose deliveries are all finished; returns how many.

    Unread ones stay, whatever their age: nobody has seen them yet.
    """
    unfinished = Delivery.objects.filter(notification=OuterRef("pk")).exclude(
        state__in=[DeliveryState.SENT, DeliveryState.FAILED]
    )
    expired = Notification.objects.filter(read_at__lt=before).exclude(Exists(unfinished))
    deleted, per_model = expired.delete()
    return per_model.get(Notification._meta.label, 0)


@transaction.atomic
def subscription_follow(
    *,
    user: User,
    by,
    incident_id: int | None = None,
    severity: int | None = None,
    email: bool = True,
    chat: bool = False,
    drills: bool = False,
) -> Subscription:
    """The person follows one incident (`incident_id`), every incident of a severity, or (neither
    given) every incident; following the same again changes its channels. Whoever calls it for an
    incident has checked that the person may see it."""
    if incident_id is not None and severity is not None:
        raise ValidationError({"severity": [_("Follow either an incident or a severity, not both.")]})
    if severity is not None and severity not in range(1, 5):
        raise ValidationError({"severity": [_("Severity goes from 1 (the worst) to 4.")]})
    if incident_id is not None:
        target = {"scope": SubscriptionScope.INCIDENT, "incident_id": incident_id}
    elif severity is not None:
        target = {"scope": SubscriptionScope.SEVERITY, "severity": severity}
    else:
        target = {"scope": SubscriptionScope.EVERYTHING}
    subscription, created = Subscription.objects.select_for_update().get_or_create(user=user, **target)
    before = None if created else audit_values(subscription)
    subscription.email, subscription.chat, subscription.drills = email, chat, drills
    subscription.save(update_fields=["email", "chat", "drills"])
    audit_record(
        subscription, by=by, action=AuditAction.CREATED if created else AuditAction.UPDATED, before=before
    )
    return subscription


@transaction.atomic
def subscription_stop(*, user: User, by, subscription_id: int) -> None:
    """The person stops following; someone else's subscription is a 404."""
    subscription = get_object_or_404(Subscription.objects.select_for_update(), pk=subscription_id, user=user)
    audit_record(subscription, by=by, action=AuditAction.DELETED)
    subscription.delete()
