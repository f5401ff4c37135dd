"""Timers fire on time, exactly once, with the right people told; time is passed in, never slept."""

import pytest

from incidents import services
from incidents.models import TaskState, TimelineEntry, Timer, TimerKind, TimerState
from notifications.models import Notification
from tests.incidents.conftest import H

pytestmark = pytest.mark.django_db


def fire_due(now) -> list[Timer]:
    """What the workers do when the sweep's messages reach them, sweep after sweep."""
    fired = []
    while due := list(Timer.objects.filter(state=TimerState.PENDING, due_at__lte=now).order_by("due_at")):
        fired += [timer for timer in due if services.timer_fire(timer_id=timer.pk, now=now)]
    return fired


def told(incident, kind):
    return set(
        Notification.objects.filter(incident_id=incident.pk, kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def test_nothing_fires_before_its_time(incident, declared_at):
    assert fire_due(declared_at + 2 * H - 1 * H / 3600) == []


def test_level_one_at_due_tells_responsible_and_accountable(incident, declared_at, cast):
    [timer] = fire_due(declared_at + 2 * H)
    task = incident.tasks.get(title="Switch to the backup-supplier pool")
    assert (timer.kind, timer.level) == (TimerKind.ESCALATION, 1)
    assert task.escalation_level == 1
    assert task.next_escalation_at == declared_at + 3 * H
    assert told(incident, "task.overdue") == {"buyer", "logistics", "contact"}
    entry = TimelineEntry.objects.get(incident=incident, type="task.overdue")
    assert entry.actor is None
    assert entry.data["level"] == 1 and entry.data["task"] == task.pk
    assert sorted(entry.data["notified"]) == sorted(
        cast[name].pk for name in ("buyer", "logistics", "contact")
    )


def test_level_two_tells_accountable_and_commander_level_three_executives_and_escalation_contact(
    incident, declared_at
):
    fire_due(declared_at + 3 * H)
    entries = list(TimelineEntry.objects.filter(incident=incident, type="escalation.fired"))
    assert [e.data["level"] for e in entries] == [2]
    assert told(incident, "escalation") == {"buyer", "logistics", "contact", "commander"}

    Notification.objects.all().delete()
    fire_due(declared_at + 4 * H)
    assert told(incident, "escalation") == {"ceo", "contact"}
    task = incident.tasks.get(title="Switch to the backup-supplier pool")
    assert task.escalation_level == 3 and task.next_escalation_at is None


def test_a_timer_fires_once_however_often_it_is_delivered(incident, declared_at):
    timer = Timer.objects.get(kind=TimerKind.ESCALATION, level=1)
    now = declared_at + 2 * H
    results = [services.timer_fire(timer_id=timer.pk, now=now) for _ in range(5)]
    assert results == [True, False, False, False, False]
    assert TimelineEntry.objects.filter(type="task.overdue").count() == 1


def test_the_clock_starts_tier_two_opens_its_tasks_and_tells_its_informed(incident, declared_at, cast):
    fire_due(declared_at + 6 * H)
    incident.refresh_from_db()
    assert incident.current_tier.key == "T2" and incident.tier_started_at == declared_at + 6 * H
    presale = incident.tasks.get(title="Start pre-sale mode")
    assert presale.state == TaskState.OPEN
    assert presale.due_at == declared_at + 18 * H
    # Tier 1's unfinished task stays open and went on escalating.
    pool = incident.tasks.get(title="Switch to the backup-supplier pool")
    assert pool.state == TaskState.OPEN and pool.escalation_level == 3
    changed = TimelineEntry.objects.get(incident=incident, type="tier.changed")
    assert (changed.data["from"], changed.data["to"], changed.data["opened"]) == ("T1", "T2", [presale.pk])
    assert {"buyer", "logistics", "contact"} <= told(incident, "tier.started")


def test_a_late_sweep_catches_up_in_order(incident, declared_at):
    """After an outage, everything overdue fires once, tiers in order, due times as planned."""
    fired = fire_due(declared_at + 100 * H)
    incident.refresh_from_db()
    assert incident.current_tier.key == "T3"
    c2m = incident.tasks.get(title="Open the C2M channel")
    assert c2m.due_at == declared_at + 72 * H
    assert len(fired) == len({t.pk for t in fired})
    assert not Timer.objects.filter(state=TimerState.PENDING, due_at__lte=declared_at + 100 * H).exists()
    seqs = list(TimelineEntry.objects.filter(incident=incident).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_the_sweep_sends_due_and_near_timers_and_resends_stalled_ones(incident, declared_at):
    from incidents.services.timers import FAST_PATH_HORIZON, REDISPATCH_AFTER

    now = declared_at + 2 * H
    assert services.timers_sweep(now=now) == 1  # level 1 is due
    assert services.timers_sweep(now=now) == 0  # just sent: not again at once
    assert services.timers_sweep(now=now + REDISPATCH_AFTER) == 1  # still pending: its message was lost
    soon = declared_at + 3 * H - FAST_PATH_HORIZON / 2
    assert services.timers_sweep(now=soon) == 2  # level 1 again, and level 2 coming due within the horizon
    assert Timer.objects.get(level=2).enqueued_at == soon
    assert services.timers_sweep(now=soon + REDISPATCH_AFTER) == 1  # level 2 is not due yet: not resent
