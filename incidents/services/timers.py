"""Durable timers: rows in the database, with Celery as the clock.

A timer due soon gets a Celery message with an ETA when its transaction commits (the fast
path); beat's sweep re-sends messages for timers that are due and still pending, so a lost
message, a killed worker or a Redis restart delays a timer by seconds and never loses it.
No ETA is ever longer than FAST_PATH_HORIZON, far below Redis's visibility timeout.
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q

from incidents.models import Timer, TimerState
from riskops.celery import TIMERS_QUEUE

logger = logging.getLogger(__name__)

FAST_PATH_HORIZON = dt.timedelta(minutes=10)
# A due timer whose message went out this long ago and is still pending gets another message:
# long enough that a busy queue is not flooded with copies, short enough that a message lost
# with a killed worker or a restarted Redis costs seconds, not the broker's visibility timeout.
REDISPATCH_AFTER = dt.timedelta(seconds=10)
SWEEP_BATCH = 2000


def timers_create(*, timers: list[Timer], now: dt.datetime) -> list[Timer]:
    """Saves new timers; those due within the horizon get their message after commit."""
    near = [timer for timer in timers if timer.due_at <= now + FAST_PATH_HORIZON]
    for timer in near:
        timer.enqueued_at = now
    Timer.objects.bulk_create(timers)
    messages = [(timer.pk, timer.due_at) for timer in near]
    if messages:
        transaction.on_commit(lambda: dispatch(messages))
    return timers


def timers_cancel(*, queryset) -> int:
    return queryset.filter(state=TimerState.PENDING).update(state=TimerState.CANCELLED)


def dispatch(messages: list[tuple[int, dt.datetime]]) -> None:
    """Sends fire messages (an ETA in the past means now). A broker outage is left to the sweep."""
    from incidents.tasks import fire_timer

    try:
        for timer_id, due_at in messages:
            fire_timer.apply_async(args=[timer_id], eta=due_at, queue=TIMERS_QUEUE)
    except Exception:  # noqa: BLE001 - the rows are committed; the sweep will send them again
        logger.warning("could not send %d timer messages; the sweep will retry", len(messages), exc_info=True)


def timers_sweep(*, now: dt.datetime) -> int:
    """Sends messages for pending timers that are due (and not just sent) or due soon (never sent)."""
    due_again = Q(due_at__lte=now) & (
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - REDISPATCH_AFTER)
    )
    due_soon = Q(due_at__gt=now, due_at__lte=now + FAST_PATH_HORIZON, enqueued_at__isnull=True)
    with transaction.atomic():
        rows = list(
            Timer.objects.filter(due_again | due_soon, state=TimerState.PENDING)
            .order_by("due_at")
            .values_list("pk", "due_at")[:SWEEP_BATCH]
        )
        if rows:
            Timer.objects.filter(pk__in=[pk for pk, _ in rows], state=TimerState.PENDING).update(
                enqueued_at=now
            )
            transaction.on_commit(lambda: dispatch(rows))
    return len(rows)
