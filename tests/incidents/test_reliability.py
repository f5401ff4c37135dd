"""Timers on the real broker and real workers: killed workers, a restarted Redis, racing workers.

These few tests wait in real time (seconds); everything else controls time by passing `now`.
A drill at clock rate 3600 turns the plan's hours into seconds: tier 1's task is due at 2 s
and escalates at 3 s and 4 s, tier 2 starts at 6 s, tier 3 at 48 s (the whole plan, tier 3
included, is played out in real time once: tests/incidents/test_drill_in_browser.py).
"""

import datetime as dt
import time
from collections import Counter

import pytest
from django.utils import timezone

from incidents import services
from incidents.models import Incident, TimelineEntry, Timer, TimerKind, TimerState, UpdateCadence
from incidents.services.timers import Batch, Due, batches, dispatch
from notifications.models import Notification
from tests.factories import plant_fire
from tests.processes import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FIRST_EIGHT_SECONDS = 4  # T1's three escalation levels and T2's start


def declare_drill(playbook, cast) -> Incident:
    return services.incident_declare(
        title="Drill: supplier fire",
        severity=2,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        drill=True,
        clock_rate=3600,
    )


def fired_due_by(incident: Incident, seconds: float):
    limit = incident.declared_at + dt.timedelta(seconds=seconds)
    return Timer.objects.filter(incident=incident, due_at__lte=limit)


def assert_each_fired_once(incident: Incident, seconds: float) -> None:
    timers = fired_due_by(incident, seconds)
    assert {timer.state for timer in timers} == {TimerState.FIRED}, list(
        timers.values("kind", "level", "state")
    )
    effects = Counter(
        (entry.type, entry.data.get("task"), entry.data.get("level"), entry.data.get("to"))
        for entry in TimelineEntry.objects.filter(incident=incident).exclude(type="incident.declared")
    )
    assert all(count == 1 for count in effects.values()), effects
    assert len(effects) == timers.count()


def all_fired_by(incident: Incident, seconds: float):
    return lambda: not fired_due_by(incident, seconds).filter(state=TimerState.PENDING).exists()


def test_a_worker_killed_with_timers_pending_loses_none_and_doubles_none(stack, playbook, cast):
    stack.worker("doomed")
    stack.beat()
    time.sleep(3)  # both up
    incident = declare_drill(playbook, cast)
    time.sleep(1)  # the worker now holds the ETA messages, unacknowledged
    stack.kill("doomed")
    stack.worker("survivor")
    assert wait_until(all_fired_by(incident, 8), timeout=90, stack=stack), stack.log("survivor")
    assert_each_fired_once(incident, 8)


def test_redis_restarted_with_its_data_gone_the_sweep_fires_every_timer_once(stack, redis, playbook, cast):
    stack.worker("worker")
    stack.beat()
    time.sleep(3)
    incident = declare_drill(playbook, cast)
    time.sleep(0.5)
    redis.restart()  # every queued and held message is gone
    assert wait_until(all_fired_by(incident, 8), timeout=90, stack=stack), stack.log("worker")[-3000:]
    assert_each_fired_once(incident, 8)


def test_two_workers_racing_on_the_same_timers_fire_each_once(stack, playbook, cast):
    stack.worker("one")
    stack.worker("two")
    time.sleep(3)
    incidents = [declare_drill(playbook, cast) for _ in range(5)]
    timers = [
        Due(*row)
        for row in Timer.objects.filter(incident__in=incidents).values_list("pk", "incident_id", "due_at")
    ]
    # Every timer delivered three times, to whichever worker takes it: in the sweep's batches,
    # one message per timer, and in batches again.
    dispatch(batches(timers, now=timezone.now()))
    dispatch([Batch([timer.timer_id], timer.due_at) for timer in timers])
    dispatch(batches(timers, now=timezone.now()))
    for incident in incidents:
        assert wait_until(all_fired_by(incident, 8), timeout=30)
        assert_each_fired_once(incident, 8)


def test_resolving_cancels_everything_pending(stack, playbook, cast):
    stack.worker("worker")
    stack.beat()
    time.sleep(3)
    incident = declare_drill(playbook, cast)
    services.incident_resolve(incident_id=incident.pk, by=cast["commander"])
    time.sleep(8)
    assert not Timer.objects.filter(incident=incident).exclude(state=TimerState.CANCELLED).exists()
    assert list(TimelineEntry.objects.filter(incident=incident).values_list("type", flat=True)) == [
        "incident.declared",
        "incident.resolved",
    ]
    assert timezone.now() > incident.declared_at + dt.timedelta(seconds=6)


def test_a_real_incidents_update_cadence_survives_a_worker_kill_reminding_and_escalating_once(
    stack, playbook, cast
):
    """The organisation wants an update every 2 seconds at SEV1 (so that the test runs in real
    time): the reminder falls due at 2 s and the missed update escalates at 4 s, each once,
    though the worker holding their messages is killed."""
    UpdateCadence.objects.create(severity=1, interval=dt.timedelta(seconds=2))
    stack.worker("doomed")
    stack.beat()
    time.sleep(3)  # both up
    incident = plant_fire(cast, playbook, timezone.now())
    assert not incident.drill and incident.clock_rate == 1
    services.incident_assign_role(
        incident_id=incident.pk, role="communications", user=cast["pr_lead"], by=cast["commander"]
    )
    time.sleep(1)  # the worker now holds the reminder's ETA message, unacknowledged
    stack.kill("doomed")
    stack.worker("survivor")
    cadence = Timer.objects.filter(incident=incident, kind=TimerKind.UPDATE_DUE)
    done = lambda: not cadence.filter(state=TimerState.PENDING).exists()  # noqa: E731
    assert wait_until(done, timeout=90, stack=stack), stack.log("survivor")
    assert sorted(cadence.values_list("level", "state")) == [(1, TimerState.FIRED), (2, TimerState.FIRED)]
    entries = TimelineEntry.objects.filter(incident=incident, type__in=["update.due", "update.missed"])
    # Each once; after the kill the sweep may fire the reminder after the escalation came due and fired.
    assert sorted(entries.values_list("type", flat=True)) == ["update.due", "update.missed"]
    reminded = Notification.objects.filter(incident_id=incident.pk, kind="update.due")
    assert sorted(reminded.values_list("recipient__username", flat=True)) == ["commander", "pr-lead"]
    escalated = Notification.objects.filter(incident_id=incident.pk, kind="escalation")
    assert list(escalated.values_list("recipient__username", flat=True)) == ["ceo"]


OUTAGE_SECONDS = 20
RECOVERY_SECONDS = 2


def test_redis_down_for_20_s_due_timers_fire_within_2_s_of_its_return_exactly_once(
    stack, redis, playbook, cast, no_update_cadence
):
    """The worker reconnects at a bounded pace (riskops.celery.PromptReconnectConsumer): every
    timer that fell due while Redis was down fires within 2 s of Redis answering again, once."""
    stack.worker("worker")
    stack.beat()
    time.sleep(3)
    incident = declare_drill(playbook, cast)  # timers due at 2, 3, 4 s (tier 1) and 6 s (tier 2)
    time.sleep(0.5)
    redis.stop()
    down_until = time.monotonic() + OUTAGE_SECONDS
    while time.monotonic() < down_until:
        stack.respawn_exited()  # as the supervisor would: a worker may exit when Redis vanishes
        time.sleep(0.2)
    redis.start()  # the same port, every key gone
    back = timezone.now()
    due_while_down = Timer.objects.filter(incident=incident, due_at__lt=back)
    assert due_while_down.count() == 4
    assert wait_until(
        lambda: not due_while_down.filter(state=TimerState.PENDING).exists(), timeout=30, stack=stack
    ), stack.log("worker")[-3000:]
    latest = max(due_while_down.values_list("fired_at", flat=True))
    assert (latest - back).total_seconds() <= RECOVERY_SECONDS, (latest - back, stack.log("worker")[-3000:])
    # And the rest of tier 2's escalations (due at 18, 20 and 22 s) on time, nothing twice.
    assert wait_until(all_fired_by(incident, 23), timeout=30, stack=stack)
    assert_each_fired_once(incident, 23)
