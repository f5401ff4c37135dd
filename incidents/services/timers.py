"""Durable timers: rows in the database, with Celery as the clock.

A timer due within a few seconds gets a Celery message with an ETA: when its transaction
commits (the fast path), or from beat's sweep, which runs every second. The sweep also sends
again the messages of timers still pending a moment after their due time, so a lost message,
a killed worker or a Redis restart delays a timer by seconds and never loses it. Since no ETA
is longer than FAST_PATH_HORIZON, a killed worker takes at most that much of the future with
it, and Redis's visibility timeout never comes into play.

Timers travel in batches: those due within BATCH_SPAN of each other share one message, sent
for the latest due time among them, so a burst of thousands costs a worker tens of messages
and transactions, not thousands. Messages go to the timers queue, which the project routes the
task to by its name.
"""

import datetime as dt
import logging
from typing import NamedTuple

from celery import current_app
from django.db import transaction
from django.db.models import Q

from incidents.models import Timer, TimerState

logger = logging.getLogger(__name__)

# Longer than the sweep's interval (1 s), so that every timer gets its ETA message in time.
FAST_PATH_HORIZON = dt.timedelta(seconds=3)
# A timer still pending this long after both its due time and its last message gets another
# message: long enough that a timer fired on time is not sent twice, and a busy queue is not
# flooded with copies; short enough that a message lost with a killed worker or a restarted
# Redis costs a couple of seconds.
REDISPATCH_AFTER = dt.timedelta(seconds=2)
SWEEP_BATCH = 5000
# A message fires timers due at most this far apart (the earliest of them fires this much late
# at most) and at most this many, which is also how long a batch keeps its incidents locked.
BATCH_SPAN = dt.timedelta(milliseconds=100)
BATCH_SIZE = 50


class Due(NamedTuple):
    timer_id: int
    incident_id: int
    due_at: dt.datetime


class Batch(NamedTuple):
    timer_ids: list[int]
    eta: dt.datetime


def batches(timers: list[Due], *, now: dt.datetime) -> list[Batch]:
    """Timers grouped into fire messages. Those already due count as due now, so a backlog goes
    out in full batches; within a span, timers are grouped incident by incident, so that two
    workers' batches seldom wait for each other's incident locks."""
    spans: list[list[Due]] = []
    for timer in sorted(timers, key=lambda timer: max(timer.due_at, now)):
        due_at = max(timer.due_at, now)
        if not spans or due_at - max(spans[-1][0].due_at, now) > BATCH_SPAN:
            spans.append([])
        spans[-1].append(timer)
    result = []
    for span in spans:
        span.sort(key=lambda timer: (timer.incident_id, timer.due_at))
        for start in range(0, len(span), BATCH_SIZE):
            chunk = span[start : start + BATCH_SIZE]
            result.append(Batch([timer.timer_id for timer in chunk], max(timer.due_at for timer in chunk)))
    return result


def timers_create(*, timers: list[Timer], now: dt.datetime) -> list[Timer]:
    """Saves new timers; those due within the horizon get their messages after commit."""
    near = [timer for timer in timers if timer.due_at <= now + FAST_PATH_HORIZON]
    for timer in near:
        timer.enqueued_at = now
    Timer.objects.bulk_create(timers)
    if near:
        messages = batches([Due(timer.pk, timer.incident_id, timer.due_at) for timer in near], now=now)
        transaction.on_commit(lambda: dispatch(messages))
    return timers


def timers_cancel(*, queryset) -> int:
    return queryset.filter(state=TimerState.PENDING).update(state=TimerState.CANCELLED)


def dispatch(messages: list[Batch]) -> None:
    """Sends fire messages (an ETA in the past means now). A broker outage is left to the sweep."""
    try:
        for batch in messages:
            current_app.send_task("incidents.fire_timers", args=[batch.timer_ids], eta=batch.eta)
    except Exception:  # noqa: BLE001 - the rows are committed; the sweep will send them again
        logger.warning("could not send %d timer messages; the sweep will retry", len(messages), exc_info=True)


def timers_sweep(*, now: dt.datetime) -> int:
    """Sends messages for pending timers due soon (never sent) or overdue (their message lost)."""
    never_sent = Q(enqueued_at__isnull=True, due_at__lte=now + FAST_PATH_HORIZON)
    lost = Q(due_at__lte=now - REDISPATCH_AFTER, enqueued_at__lte=now - REDISPATCH_AFTER)
    with transaction.atomic():
        rows = [
            Due(*row)
            for row in Timer.objects.filter(never_sent | lost, state=TimerState.PENDING)
            .order_by("due_at")
            .values_list("pk", "incident_id", "due_at")[:SWEEP_BATCH]
        ]
        if rows:
            Timer.objects.filter(pk__in=[row.timer_id for row in rows], state=TimerState.PENDING).update(
                enqueued_at=now
            )
            messages = batches(rows, now=now)
            transaction.on_commit(lambda: dispatch(messages))
    return len(rows)
