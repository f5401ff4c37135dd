import pytest
from django.core.exceptions import ValidationError

from incidents import services
from incidents.models import Incident, TaskState, TimelineEntry, Timer, TimerKind, TimerState
from notifications.models import Notification
from playbooks.services import playbook_create, playbook_publish
from tests.factories import H, three_tier_spec

pytestmark = pytest.mark.django_db


def test_declaring_creates_every_task_opens_tier_one_and_sets_every_timer(incident, cast, declared_at):
    tasks = {task.title: task for task in incident.tasks.select_related("tier")}
    first = tasks["Switch to the backup-supplier pool"]
    assert first.state == TaskState.OPEN and first.tier.key == "T1"
    assert first.due_at == declared_at + 2 * H
    assert first.next_escalation_at == declared_at + 2 * H
    assert tasks["Start pre-sale mode"].state == TaskState.PENDING
    assert tasks["Start pre-sale mode"].due_at is None
    assert incident.current_tier.key == "T1" and incident.tier_started_at == declared_at

    timers = sorted(Timer.objects.filter(incident=incident).values_list("kind", "level", "due_at"), key=str)
    assert sorted(timers, key=lambda t: (t[2], t[0])) == [
        (TimerKind.UPDATE_DUE, 1, declared_at + H / 2),  # SEV1: a status update every 30 minutes
        (TimerKind.UPDATE_DUE, 2, declared_at + H),  # missed by another 30 minutes: executives
        (TimerKind.ESCALATION, 1, declared_at + 2 * H),
        (TimerKind.ESCALATION, 2, declared_at + 3 * H),
        (TimerKind.ESCALATION, 3, declared_at + 4 * H),
        (TimerKind.TIER_START, 0, declared_at + 6 * H),
        (TimerKind.TIER_START, 0, declared_at + 48 * H),
    ]
    [entry] = TimelineEntry.objects.filter(incident=incident)
    assert (entry.seq, entry.type, entry.actor) == (1, "incident.declared", cast["officer"])
    assert entry.data["playbook"] == {"id": incident.playbook_id, "version": 1}


def test_the_raci_is_snapshotted_onto_each_task(incident, cast):
    task = incident.tasks.get(title="Start pre-sale mode")
    roles = {(a.role, a.team_id, a.user_id) for a in task.assignments.all()}
    assert roles == {
        ("responsible", cast["pr"].pk, None),
        ("accountable", None, cast["pr_lead"].pk),
        ("informed", cast["supply"].pk, None),
    }


def test_tier_one_people_are_told(incident, cast):
    told = set(
        Notification.objects.filter(incident_id=incident.pk).values_list("recipient__username", "kind")
    )
    # The Informed (PR) hear that tier 1 has started; the Responsible (supply) that it is theirs.
    assert ("pr-lead", "tier.started") in told
    assert {("buyer", "task.opened"), ("logistics", "task.opened"), ("contact", "task.opened")} <= told
    assert not any(name == "outsider" for name, _ in told)


def test_a_draft_playbook_cannot_be_declared(cast):
    draft = playbook_create(spec=three_tier_spec(cast), created_by=cast["officer"])
    with pytest.raises(ValidationError) as error:
        services.incident_declare(
            title="x",
            severity=1,
            playbook_id=draft.pk,
            commander=cast["commander"],
            declared_by=cast["officer"],
        )
    assert "playbook" in error.value.message_dict
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"clock_rate": 60}, "clock_rate"),  # a real incident never runs a fast clock
        ({"clock_rate": 3601, "drill": True}, "clock_rate"),
        ({"severity": 5}, "severity"),
        ({"severity": 0}, "severity"),
        ({"title": "  "}, "title"),
        ({"playbook": 999_999}, "playbook"),
        ({"commander": 999_999}, "commander"),
    ],
)
def test_bad_declarations_get_field_errors_and_write_nothing(api, cast, playbook, overrides, field):
    body = {
        "title": "Fire",
        "severity": 1,
        "playbook": playbook.pk,
        "commander": cast["commander"].pk,
        **overrides,
    }
    response = api.as_user(cast["officer"]).post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Incident.objects.exists() and not Timer.objects.exists() and not Notification.objects.exists()


def test_drills_may_run_a_fast_clock(api, cast, playbook):
    body = {
        "title": "Drill",
        "severity": 3,
        "playbook": playbook.pk,
        "commander": cast["commander"].pk,
        "drill": True,
        "clock_rate": 3600,
    }
    response = api.as_user(cast["officer"]).post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 201, response.json()
    incident = response.json()
    assert incident["drill"] is True and incident["clock_rate"] == 3600
    tier_two = Timer.objects.get(kind=TimerKind.TIER_START, tier__key="T2")
    assert (tier_two.due_at - Incident.objects.get().declared_at).total_seconds() == 6


def test_declare_api_returns_the_contract_shape(api, cast, playbook):
    body = {"title": "Fire", "severity": 1, "playbook": playbook.pk, "commander": cast["commander"].pk}
    response = api.as_user(cast["officer"]).post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 201
    incident = response.json()
    assert {
        "id",
        "title",
        "severity",
        "status",
        "drill",
        "clock_rate",
        "declared_at",
        "current_tier",
        "tier_started_at",
        "next_tier_at",
        "playbook",
        "tasks",
    } <= set(incident)
    assert incident["status"] == "active" and incident["current_tier"] == "T1"
    assert incident["playbook"] == {"id": playbook.pk, "version": 1}
    task = incident["tasks"][0]
    assert {
        "id",
        "step",
        "tier",
        "title",
        "state",
        "due_at",
        "next_escalation_at",
        "escalation_level",
        "raci",
    } <= set(task)
    assert task["raci"]["accountable"] == {"team": cast["supply"].pk}
    assert task["raci"]["responsible"] == [{"team": cast["supply"].pk}]


def test_declaring_takes_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    def declare(extra):
        spec = three_tier_spec(cast, extra_steps_in_t1=extra)
        spec["name"] = f"Plan {extra}"
        playbook = playbook_publish(
            playbook=playbook_create(spec=spec, created_by=cast["officer"]), by=cast["officer"]
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            services.incident_declare(
                title="x",
                severity=2,
                playbook_id=playbook.pk,
                commander=cast["commander"],
                declared_by=cast["officer"],
            )
        return len(queries)

    assert declare(0) == declare(27)


def test_pending_timers_are_rows_with_a_state(incident):
    assert Timer.objects.filter(incident=incident, state=TimerState.PENDING).count() == 7


def test_an_incident_links_the_risks_that_materialised(api, cast, playbook):
    from risks.models import Category
    from risks.services import risk_create

    risk = risk_create(
        by=cast["officer"],
        title="Main supplier fails",
        category=Category.objects.first(),
        owner=cast["buyer"],
        likelihood=3,
        impact=5,
    )
    body = {
        "title": "Fire",
        "severity": 1,
        "playbook": playbook.pk,
        "commander": cast["commander"].pk,
        "risks": [risk.pk],
    }
    response = api.as_user(cast["officer"]).post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["risks"] == [risk.pk]
    assert list(risk.incidents.values_list("pk", flat=True)) == [response.json()["id"]]

    bad = api.as_user(cast["officer"]).post("/api/v1/incidents/", {**body, "risks": [424242]}, format="json")
    assert bad.status_code == 400 and "risks" in bad.json()
