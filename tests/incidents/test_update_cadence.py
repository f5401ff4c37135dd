"""Status updates: their structured form, and the cadence that reminds and escalates when none comes.

Time is passed in, never slept (the real-worker version is in test_reliability.py).
"""

import datetime as dt

import pytest

from incidents import services
from incidents.models import TimelineEntry, Timer, TimerKind, TimerState, UpdateCadence
from notifications.models import Notification
from people.demo import load as load_demo_people
from people.models import User
from playbooks import demo
from playbooks.exchange import spec_from_text
from tests.factories import PASSWORD, H, published_plan
from tests.incidents.test_timers import fire_due, told

pytestmark = pytest.mark.django_db

M = dt.timedelta(minutes=1)


def update_timers(incident):
    return sorted(
        Timer.objects.filter(
            incident=incident, kind=TimerKind.UPDATE_DUE, state=TimerState.PENDING
        ).values_list("level", "due_at")
    )


def update_entries(incident):
    return list(
        TimelineEntry.objects.filter(incident=incident, type__in=["update.due", "update.missed"])
        .order_by("seq")
        .values_list("type", "data__level")
    )


@pytest.fixture
def with_comms_lead(incident, cast):
    services.incident_assign_role(
        incident_id=incident.pk, role="communications", user=cast["pr_lead"], by=cast["commander"]
    )
    Notification.objects.all().delete()
    return incident


def test_a_sev1_update_falls_due_in_30_minutes_then_escalates_to_executives_once(
    with_comms_lead, declared_at
):
    incident = with_comms_lead
    assert fire_due(declared_at + 29 * M) == []
    fired = fire_due(declared_at + 30 * M)
    assert [(t.kind, t.level) for t in fired] == [(TimerKind.UPDATE_DUE, 1)]
    assert told(incident, "update.due") == {"commander", "pr-lead"}
    assert update_entries(incident) == [("update.due", 1)]

    fired = fire_due(declared_at + 60 * M)
    assert [(t.kind, t.level) for t in fired] == [(TimerKind.UPDATE_DUE, 2)]
    assert told(incident, "escalation") == {"ceo"}
    [missed] = Notification.objects.filter(incident_id=incident.pk, kind="escalation")
    assert missed.body.splitlines() == [
        "No status update for 1 hour.",
        f"Current tier: {incident.current_tier.name}.",
        "No status update yet.",
    ]
    entry = TimelineEntry.objects.get(incident=incident, type="update.missed")
    assert entry.actor is None and entry.data["due_at"] == (declared_at + 60 * M).isoformat()
    # Delivered again, nothing fires twice.
    timer = Timer.objects.get(incident=incident, kind=TimerKind.UPDATE_DUE, level=2)
    assert services.timers_fire(timer_ids=[timer.pk], now=declared_at + 61 * M) == []
    assert update_entries(incident) == [("update.due", 1), ("update.missed", 2)]


def test_an_update_restarts_the_cadence_and_a_promise_may_bring_it_sooner(incident, cast, declared_at):
    at = declared_at + 20 * M
    services.incident_post_update(incident_id=incident.pk, by=cast["commander"], body="Fire out", now=at)
    assert update_timers(incident) == [(1, at + 30 * M), (2, at + 60 * M)]
    services.incident_post_update(
        incident_id=incident.pk,
        by=cast["buyer"],
        what_happened="Pool called",
        next_update_at=at + 10 * M,
        now=at + M,
    )
    assert update_timers(incident) == [(1, at + 10 * M), (2, at + 40 * M)]
    assert fire_due(at + 30 * M)[0].level == 1
    assert update_entries(incident) == [("update.due", 1)]  # the cancelled ones never fire


def test_the_organisations_cadence_and_the_severity_decide(incident, cast, declared_at):
    UpdateCadence.objects.create(severity=2, interval=15 * M)
    services.incident_change_severity(
        incident_id=incident.pk, severity=2, reason="Contained", by=cast["commander"], now=declared_at + M
    )
    assert update_timers(incident) == [(1, declared_at + 15 * M), (2, declared_at + 30 * M)]
    services.incident_change_severity(
        incident_id=incident.pk, severity=4, reason="Minor now", by=cast["commander"], now=declared_at + 2 * M
    )
    assert update_timers(incident) == []  # SEV4 expects no updates
    assert fire_due(declared_at + 5 * H) != [] and update_entries(incident) == []


def test_in_a_drill_the_cadence_is_divided_by_the_clock_rate(playbook, cast, declared_at):
    drill = services.incident_declare(
        title="Drill",
        severity=2,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        drill=True,
        clock_rate=60,
        now=declared_at,
    )
    # SEV2: every 60 plan minutes, one real minute at ×60.
    assert update_timers(drill) == [(1, declared_at + M), (2, declared_at + 2 * M)]
    fire_due(declared_at + M)
    assert told(drill, "update.due") == {"commander"}


def test_resolving_stops_the_cadence_and_reopening_starts_it_again(incident, cast, declared_at):
    services.incident_resolve(incident_id=incident.pk, by=cast["commander"], now=declared_at + M)
    assert update_timers(incident) == []
    services.incident_reopen(
        incident_id=incident.pk, by=cast["commander"], reason="Again", now=declared_at + H
    )
    assert update_timers(incident) == [(1, declared_at + H + 30 * M), (2, declared_at + 2 * H)]


def test_the_public_opinion_playbook_owes_a_first_statement_within_the_hour(declared_at):
    load_demo_people(PASSWORD)
    officer, commander = (User.objects.get(username=name) for name in ("risk.officer", "crisis.lead"))
    spec = spec_from_text((demo.LIBRARY / "public-opinion-golden-3-hours.yaml").read_bytes())
    plan = published_plan(spec, officer)
    incident = services.incident_declare(
        title="Negative video trending",
        severity=3,
        playbook_id=plan.pk,
        commander=commander,
        declared_by=officer,
        now=declared_at,
    )
    # SEV3's cadence is 4 hours, but the plan wants its first statement within the golden hours:
    # within one hour, and missing it escalates to the executives an hour later.
    assert update_timers(incident) == [(1, declared_at + H), (2, declared_at + 2 * H)]
    fire_due(declared_at + 2 * H)
    assert update_entries(incident) == [("update.due", 1), ("update.missed", 2)]
    assert told(incident, "escalation") >= {"ceo", "cfo"}
    services.incident_post_update(
        incident_id=incident.pk, by=commander, what_happened="Statement out", now=declared_at + 2 * H
    )
    later = declared_at + 2 * H
    assert update_timers(incident) == [(1, later + 4 * H), (2, later + 8 * H)]


def test_a_structured_update_keeps_its_parts_and_an_old_body_only_post_still_works(api, cast, incident):
    client = api.as_user(cast["buyer"])
    url = f"/api/v1/incidents/{incident.pk}/updates/"
    response = client.post(url, {"body": "Backup pool called"}, format="json")
    assert response.status_code == 201
    assert response.json()["type"] == "status.update" and response.json()["data"] == {
        "body": "Backup pool called"
    }

    structured = {
        "what_happened": "Plant fire at the main supplier · 主供应商工厂火灾",
        "impact": "Line 2 stops in 3 days",
        "actions": "Backup pool switched on",
        "needs": "Budget for air freight",
        "next_update_at": "2099-01-01T10:00:00Z",
    }
    response = client.post(url, structured, format="json")
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["body"] == structured["what_happened"]  # readers of the contract's body see what happened
    assert {k: data[k] for k in ("impact", "actions", "needs")} == {
        k: structured[k] for k in ("impact", "actions", "needs")
    }
    detail = client.get(f"/api/v1/incidents/{incident.pk}/").json()
    assert detail["latest_update"]["data"]["what_happened"] == structured["what_happened"]
    assert detail["next_update_due_at"] is not None

    only_updates = client.get(f"/api/v1/incidents/{incident.pk}/timeline/?type=status.update").json()
    assert [entry["type"] for entry in only_updates] == ["status.update", "status.update"]

    for bad, field in [
        ({}, "body"),
        ({"body": "  ", "impact": ""}, "body"),
        ({"body": "x", "next_update_at": "2000-01-01T00:00:00Z"}, "next_update_at"),
    ]:
        response = client.post(url, bad, format="json")
        assert response.status_code == 400 and field in response.json()
    assert TimelineEntry.objects.filter(incident=incident, type="status.update").count() == 2


def test_an_administrator_sets_the_organisations_cadence_in_the_admin(client, cast):
    from audit.models import AuditEntry

    operator = cast["admin"]
    operator.is_staff = operator.is_superuser = True  # as `createsuperuser` makes one
    operator.save()
    client.force_login(operator)
    response = client.post("/admin/incidents/updatecadence/add/", {"severity": "1", "interval": "00:10:00"})
    assert response.status_code == 302
    assert services.cadence_for(1) == 10 * M
    assert services.cadence_for(2) == 60 * M  # no row: the default
    assert AuditEntry.objects.filter(object_type="incidents.updatecadence", actor=cast["admin"]).exists()
