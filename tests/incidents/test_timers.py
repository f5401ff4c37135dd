"""Timers fire on time, exactly once, with the right people told; time is passed in, never slept."""

import pytest

from incidents import services
from incidents.models import TaskState, TimelineEntry, Timer, TimerKind, TimerState
from notifications.models import Notification
from tests.factories import H, fire_due

# These tests are about tiers and task escalations: the status-update cadence is off
# (tests/incidents/test_update_cadence.py has its own).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_update_cadence")]


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
    results = [services.timers_fire(timer_ids=[timer.pk], now=now) for _ in range(5)]
    assert results == [[timer.pk], [], [], [], []]
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


def test_a_batch_costs_the_same_queries_however_many_timers_it_holds(cast, declared_at):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from playbooks.services import playbook_create, playbook_publish
    from tests.factories import three_tier_spec

    def queries_to_fire_level_one(extra_steps: int) -> int:
        spec = {**three_tier_spec(cast, extra_steps_in_t1=extra_steps), "name": f"Plan with {extra_steps}"}
        plan = playbook_publish(
            playbook=playbook_create(spec=spec, created_by=cast["officer"]), by=cast["officer"]
        )
        incident = services.incident_declare(
            title=f"{extra_steps} more",
            severity=2,
            playbook_id=plan.pk,
            commander=cast["commander"],
            declared_by=cast["officer"],
            now=declared_at,
        )
        level_one = list(
            incident.timers.filter(kind=TimerKind.ESCALATION, level=1, due_at__lte=declared_at + 2 * H)
        )
        with CaptureQueriesContext(connection) as queries:
            fired = services.timers_fire(timer_ids=[t.pk for t in level_one], now=declared_at + 2 * H)
        assert len(fired) == len(level_one) == 1 + extra_steps
        assert TimelineEntry.objects.filter(incident=incident, type="task.overdue").count() == len(fired)
        return len(queries)

    assert queries_to_fire_level_one(1) == queries_to_fire_level_one(9)


def test_a_batch_fires_what_is_still_pending_and_leaves_the_rest(incident, declared_at):
    level_one, level_two = (Timer.objects.get(kind=TimerKind.ESCALATION, level=level) for level in (1, 2))
    assert services.timers_fire(timer_ids=[level_one.pk], now=declared_at + 2 * H) == [level_one.pk]
    # Level one again (already fired) and level two (not due yet): nothing happens.
    assert services.timers_fire(timer_ids=[level_one.pk, level_two.pk], now=declared_at + 2 * H) == []
    assert services.timers_fire(timer_ids=[level_one.pk, level_two.pk], now=declared_at + 3 * H) == [
        level_two.pk
    ]
    assert TimelineEntry.objects.filter(type__in=["task.overdue", "escalation.fired"]).count() == 2


def test_timers_travel_in_batches_by_due_time_and_incident():
    import datetime as dt

    from incidents.services.timers import BATCH_SIZE, BATCH_SPAN, Due, batches

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ms = dt.timedelta(milliseconds=1)
    # A backlog (all overdue) goes out as full batches to be fired now, grouped by incident.
    backlog = [Due(n, incident_id=n % 3, due_at=now - n * ms) for n in range(BATCH_SIZE + 10)]
    sent = batches(backlog, now=now)
    assert [len(batch.timer_ids) for batch in sent] == [BATCH_SIZE, 10]
    assert all(batch.eta <= now for batch in sent)
    assert sorted(pk for batch in sent for pk in batch.timer_ids) == list(range(BATCH_SIZE + 10))
    incidents_of = {timer.timer_id: timer.incident_id for timer in backlog}
    first = [incidents_of[pk] for pk in sent[0].timer_ids]
    assert first == sorted(first)
    # Future timers share a message only within one span, sent for the latest due time among them.
    later = [
        Due(1, 1, now + 10 * ms),
        Due(2, 2, now + 10 * ms + BATCH_SPAN),
        Due(3, 1, now + 20 * ms + BATCH_SPAN),
    ]
    assert batches(later, now=now) == [
        ([1, 2], now + 10 * ms + BATCH_SPAN),
        ([3], now + 20 * ms + BATCH_SPAN),
    ]
