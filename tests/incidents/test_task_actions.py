"""People acting on tasks and incidents: transition tables, 409s that write nothing, timers that follow."""

import threading

import pytest
from django.db import close_old_connections

from incidents import services
from incidents.models import IncidentStatus, TaskState, TimelineEntry, Timer, TimerKind, TimerState
from reviews.services import review_waive
from tests.factories import H

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool_task(incident):
    return incident.tasks.get(title="Switch to the backup-supplier pool")


def url(task, verb):
    return f"/api/v1/tasks/{task.pk}/{verb}/"


def test_acknowledge_then_complete_cancels_the_tasks_timers(api, cast, pool_task, incident):
    client = api.as_user(cast["buyer"])
    response = client.post(url(pool_task, "acknowledge"))
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"

    response = client.post(url(pool_task, "complete"), {"note": "Pool switched · 已切换"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "done" and response.json()["next_escalation_at"] is None
    assert not Timer.objects.filter(task=pool_task, state=TimerState.PENDING).exists()
    types = list(TimelineEntry.objects.filter(incident=incident).values_list("type", "actor"))
    assert types[-2:] == [("task.acknowledged", cast["buyer"].pk), ("task.completed", cast["buyer"].pk)]
    assert TimelineEntry.objects.get(type="task.completed").data["note"] == "Pool switched · 已切换"


@pytest.mark.parametrize(
    ("setup", "verb"),
    [
        ("done", "acknowledge"),
        ("done", "complete"),
        ("done", "skip"),
        ("pending", "acknowledge"),
        ("pending", "complete"),
    ],
)
def test_illegal_moves_are_409_and_write_nothing(api, cast, incident, setup, verb):
    if setup == "done":
        task = incident.tasks.get(title="Switch to the backup-supplier pool")
        services.task_complete(task_id=task.pk, by=cast["buyer"])
    else:
        task = incident.tasks.get(title="Start pre-sale mode")
    entries = TimelineEntry.objects.count()
    response = api.as_user(cast["commander"]).post(url(task, verb), {"reason": "no"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert TimelineEntry.objects.count() == entries
    task.refresh_from_db()
    assert task.state == setup


def test_skip_needs_a_reason(api, cast, pool_task):
    response = api.as_user(cast["buyer"]).post(url(pool_task, "skip"), {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    pool_task.refresh_from_db()
    assert pool_task.state == TaskState.OPEN


def test_a_pending_task_may_be_skipped_before_its_tier(api, cast, incident):
    task = incident.tasks.get(title="Start pre-sale mode")
    response = api.as_user(cast["pr_lead"]).post(
        url(task, "skip"), {"reason": "Stock arrived"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "skipped"


def test_reassigning_with_a_new_due_time_moves_the_timers(api, cast, pool_task, declared_at):
    new_due = declared_at + 5 * H
    response = api.as_user(cast["commander"]).post(
        url(pool_task, "reassign"),
        {
            "responsible": [{"user": cast["logistics"].pk}],
            "due_at": new_due.isoformat(),
            "reason": "Owner away",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["raci"]["responsible"] == [{"user": cast["logistics"].pk}]
    assert body["next_escalation_at"] == new_due.isoformat().replace("+00:00", "Z")
    pending = sorted(
        Timer.objects.filter(task=pool_task, state=TimerState.PENDING).values_list("level", "due_at")
    )
    assert pending == [(1, new_due), (2, new_due + H), (3, new_due + 2 * H)]
    assert Timer.objects.filter(task=pool_task, state=TimerState.CANCELLED).count() == 3


def test_reassign_refuses_unknown_people_with_a_field_error(api, cast, pool_task):
    response = api.as_user(cast["commander"]).post(
        url(pool_task, "reassign"), {"responsible": [{"user": 987654}]}, format="json"
    )
    assert response.status_code == 400 and "responsible" in response.json()


def test_advance_tier_by_hand_opens_the_next_tier_now_and_keeps_later_tiers_on_the_clock(
    api, cast, incident, declared_at
):
    response = api.as_user(cast["commander"]).post(f"/api/v1/incidents/{incident.pk}/advance-tier/")
    assert response.status_code == 200
    assert response.json()["current_tier"] == "T2"
    assert Timer.objects.get(kind=TimerKind.TIER_START, tier__key="T2").state == TimerState.CANCELLED
    t3 = Timer.objects.get(kind=TimerKind.TIER_START, tier__key="T3")
    assert t3.state == TimerState.PENDING and t3.due_at == declared_at + 48 * H
    assert response.json()["next_tier_at"] == t3.due_at.isoformat().replace("+00:00", "Z")

    api.as_user(cast["commander"]).post(f"/api/v1/incidents/{incident.pk}/advance-tier/")
    last = api.as_user(cast["commander"]).post(f"/api/v1/incidents/{incident.pk}/advance-tier/")
    assert last.status_code == 409 and last.json()["code"] == "invalid_transition"


def test_resolve_cancels_every_pending_timer_and_reopen_restarts_the_clock(api, cast, incident, declared_at):
    client = api.as_user(cast["commander"])
    assert client.post(f"/api/v1/incidents/{incident.pk}/resolve/").json()["status"] == "resolved"
    assert not Timer.objects.filter(incident=incident, state=TimerState.PENDING).exists()
    assert not incident.tasks.exclude(next_escalation_at=None).exists()

    assert client.post(f"/api/v1/incidents/{incident.pk}/reopen/", {}, format="json").status_code == 400
    response = client.post(
        f"/api/v1/incidents/{incident.pk}/reopen/", {"reason": "Second fire"}, format="json"
    )
    assert response.json()["status"] == "active"
    pending = Timer.objects.filter(incident=incident, state=TimerState.PENDING)
    assert {t.kind for t in pending} == {TimerKind.TIER_START, TimerKind.ESCALATION, TimerKind.UPDATE_DUE}
    assert TimelineEntry.objects.get(type="incident.reopened").data["reason"] == "Second fire"


def test_the_incident_lifecycle_follows_its_table(api, cast, incident):
    client = api.as_user(cast["commander"])
    base = f"/api/v1/incidents/{incident.pk}"
    assert client.post(f"{base}/close/").status_code == 409  # active cannot close
    assert client.post(f"{base}/stabilize/").json()["status"] == "stabilized"
    assert client.post(f"{base}/stabilize/").status_code == 409
    assert client.post(f"{base}/resolve/").json()["status"] == "resolved"
    assert client.post(f"{base}/close/").status_code == 409  # the review is not done yet
    review_waive(incident_id=incident.pk, by=cast["admin"], reason="Covered by the drill review")
    assert client.post(f"{base}/close/").json()["status"] == "closed"
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED and incident.closed_at is not None


def test_status_updates_go_on_the_timeline(api, cast, incident):
    response = api.as_user(cast["buyer"]).post(
        f"/api/v1/incidents/{incident.pk}/updates/",
        {"body": "备用供应商已确认 · backup confirmed"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["type"] == "status.update" and response.json()["seq"] == 2
    timeline = api.as_user(cast["buyer"]).get(f"/api/v1/incidents/{incident.pk}/timeline/?since=1").json()
    assert [entry["seq"] for entry in timeline] == [2]
    assert timeline[0]["data"]["body"] == "备用供应商已确认 · backup confirmed"


@pytest.mark.django_db(transaction=True)
def test_two_people_acknowledging_at_once_one_wins_the_other_gets_409(api, cast, incident):
    from rest_framework.test import APIClient

    task = incident.tasks.get(title="Switch to the backup-supplier pool")
    barrier = threading.Barrier(2)
    results = []

    def act(user):
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        try:
            results.append(client.post(url(task, "acknowledge")).status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=(cast[name],)) for name in ("buyer", "logistics")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]
    assert TimelineEntry.objects.filter(incident=incident, type="task.acknowledged").count() == 1
