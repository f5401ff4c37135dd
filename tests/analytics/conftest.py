import datetime as dt

import pytest

from incidents import services
from incidents.models import Timer, TimerKind
from tests.factories import H

M = dt.timedelta(minutes=1)
D = dt.timedelta(days=1)
T0 = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC)


def declare(playbook, cast, *, at, severity=1, drill=False):
    return services.incident_declare(
        title=f"Incident at {at:%d %H:%M}",
        severity=severity,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        drill=drill,
        now=at,
    )


def first_step(incident):
    return incident.tasks.get(tier__key="T1")


@pytest.fixture
def history(playbook, cast):
    """Four incidents with hand-chosen times; the tests compute their figures by hand."""
    commander = cast["commander"]
    # A: severity 1, acknowledged after 30 min, overdue at 2 h, done late at 2 h 30, resolved at 3 h.
    a = declare(playbook, cast, at=T0)
    services.task_acknowledge(task_id=first_step(a).pk, by=commander, now=T0 + 30 * M)
    overdue = Timer.objects.get(task=first_step(a), kind=TimerKind.ESCALATION, level=1)
    assert services.timers_fire(timer_ids=[overdue.pk], now=overdue.due_at) == [overdue.pk]
    services.task_complete(task_id=first_step(a).pk, by=commander, note="", now=T0 + 150 * M)
    services.incident_resolve(incident_id=a.pk, by=commander, now=T0 + 3 * H)
    # B: severity 1, acknowledged after 1 h, done on time at 1 h 30, resolved at 5 h.
    b = declare(playbook, cast, at=T0 + D)
    services.task_acknowledge(task_id=first_step(b).pk, by=commander, now=T0 + D + H)
    services.task_complete(task_id=first_step(b).pk, by=commander, note="", now=T0 + D + 90 * M)
    services.incident_resolve(incident_id=b.pk, by=commander, now=T0 + D + 5 * H)
    # C: severity 2, in April, never acknowledged, still active.
    c = declare(playbook, cast, at=T0 + 30 * D, severity=2)
    # D: a drill, severity 1, acknowledged after 10 min, resolved after 1 h.
    d = declare(playbook, cast, at=T0 + 3 * D, drill=True)
    services.task_acknowledge(task_id=first_step(d).pk, by=commander, now=T0 + 3 * D + 10 * M)
    services.incident_resolve(incident_id=d.pk, by=commander, now=T0 + 3 * D + H)
    return {"a": a, "b": b, "c": c, "d": d, "now": T0 + 40 * D}
