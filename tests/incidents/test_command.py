"""The commander runs the incident: severity, title, roles, linked risks, added tasks, resolution.

Each change is an API action with its reason on the timeline; bad input is a field-level 400
that writes nothing.
"""

import pytest

from core.errors import InvalidTransition
from incidents import services
from incidents.models import RoleHolding, TaskState, TimelineEntry, Timer, TimerKind, TimerState
from notifications.models import Notification
from reviews.services import review_waive
from risks.models import Category
from risks.services import risk_create
from tests.factories import H
from tests.incidents.test_timers import fire_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def commander(api, cast):
    return api.as_user(cast["commander"])


@pytest.fixture
def risk(cast, matrix):
    return risk_create(
        by=cast["officer"],
        title="Main supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=cast["officer"],
        likelihood=3,
        impact=4,
    )


def base(incident) -> str:
    return f"/api/v1/incidents/{incident.pk}"


def entries(incident, type_):
    return list(TimelineEntry.objects.filter(incident=incident, type=type_).order_by("seq"))


def test_changing_severity_says_why_on_the_timeline_and_moves_the_update_cadence(
    commander, cast, incident, declared_at
):
    response = commander.post(
        f"{base(incident)}/severity/", {"severity": 3, "reason": "Only one line affected"}, format="json"
    )
    assert response.status_code == 200 and response.json()["severity"] == 3
    [entry] = entries(incident, "incident.severity_changed")
    assert (entry.actor, entry.data) == (
        cast["commander"],
        {"from": 1, "to": 3, "reason": "Only one line affected"},
    )
    reminders = Timer.objects.filter(incident=incident, kind=TimerKind.UPDATE_DUE, state=TimerState.PENDING)
    # SEV3 owes an update every 4 hours from the declaration (no update yet).
    assert sorted(reminders.values_list("level", "due_at")) == [
        (1, declared_at + 4 * H),
        (2, declared_at + 8 * H),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"severity": 3}, "reason"),
        ({"severity": 3, "reason": "  "}, "reason"),
        ({"severity": 7, "reason": "Worse"}, "severity"),
        ({"severity": 1, "reason": "Same"}, "severity"),
    ],
)
def test_a_bad_severity_change_is_a_field_error_and_writes_nothing(commander, incident, body, field):
    before = incident.last_seq
    response = commander.post(f"{base(incident)}/severity/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    incident.refresh_from_db()
    assert (incident.severity, incident.last_seq) == (1, before)


def test_changing_the_title_keeps_the_old_one_on_the_timeline(commander, incident):
    response = commander.post(
        f"{base(incident)}/title/", {"title": "Plant fire · 工厂火灾", "reason": "Bilingual"}, format="json"
    )
    assert response.json()["title"] == "Plant fire · 工厂火灾"
    [entry] = entries(incident, "incident.title_changed")
    assert entry.data == {
        "from": "Main supplier plant fire",
        "to": "Plant fire · 工厂火灾",
        "reason": "Bilingual",
    }
    assert commander.post(f"{base(incident)}/title/", {"title": "X"}, format="json").status_code == 400


def test_handing_over_command_keeps_who_held_it_and_when(api, commander, cast, incident, declared_at):
    response = commander.post(
        f"{base(incident)}/commander/",
        {"commander": cast["pr_lead"].pk, "reason": "Shift change"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["commander"] == cast["pr_lead"].pk
    history = response.json()["role_history"]
    assert [(h["role"], h["user"], h["ended_at"] is None) for h in history] == [
        ("commander", cast["commander"].pk, False),
        ("commander", cast["pr_lead"].pk, True),
    ]
    [entry] = entries(incident, "role.assigned")
    assert entry.data == {
        "role": "commander",
        "user": cast["pr_lead"].pk,
        "previous": cast["commander"].pk,
        "reason": "Shift change",
    }
    assert Notification.objects.filter(recipient=cast["pr_lead"], kind="role.assigned").exists()
    # The new commander commands; the old one no longer does.
    assert commander.post(f"{base(incident)}/stabilize/").status_code == 403
    assert api.as_user(cast["pr_lead"]).post(f"{base(incident)}/stabilize/").status_code == 200
    # A commander change needs a reason; the commander's role is never left empty.
    assert api.as_user(cast["admin"]).post(
        f"{base(incident)}/commander/", {"commander": cast["buyer"].pk}, format="json"
    ).json() == {"reason": ["This field is required."]}
    response = api.as_user(cast["admin"]).post(
        f"{base(incident)}/roles/", {"role": "commander", "user": None, "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "user" in response.json()


def test_communications_lead_and_scribe_are_assigned_handed_over_and_released(commander, cast, incident):
    url = f"{base(incident)}/roles/"
    assert (
        commander.post(url, {"role": "communications", "user": cast["pr_lead"].pk}, format="json").status_code
        == 200
    )
    assert commander.post(url, {"role": "scribe", "user": cast["buyer"].pk}, format="json").status_code == 200
    response = commander.post(
        url, {"role": "communications", "user": cast["logistics"].pk, "reason": "Night shift"}, format="json"
    )
    assert response.json()["roles"] == {
        "commander": cast["commander"].pk,
        "communications": cast["logistics"].pk,
        "scribe": cast["buyer"].pk,
    }
    response = commander.post(url, {"role": "scribe", "user": None}, format="json")
    assert response.json()["roles"]["scribe"] is None
    held = RoleHolding.objects.filter(incident=incident, role="communications").order_by("started_at", "pk")
    assert [(h.user.username, h.ended_at is None) for h in held] == [("pr-lead", False), ("logistics", True)]
    # Giving a role to the person who holds it already, or releasing an empty one, changes nothing.
    before = TimelineEntry.objects.filter(incident=incident).count()
    assert (
        commander.post(
            url, {"role": "communications", "user": cast["logistics"].pk}, format="json"
        ).status_code
        == 400
    )
    assert commander.post(url, {"role": "scribe", "user": None}, format="json").status_code == 400
    assert commander.post(url, {"role": "mascot", "user": cast["buyer"].pk}, format="json").status_code == 400
    assert TimelineEntry.objects.filter(incident=incident).count() == before


def test_linking_and_unlinking_risks(commander, cast, incident, risk):
    response = commander.post(
        f"{base(incident)}/risks/", {"risk": risk.pk, "reason": "It happened"}, format="json"
    )
    assert response.status_code == 200 and response.json()["risks"] == [risk.pk]
    assert commander.post(f"{base(incident)}/risks/", {"risk": risk.pk}, format="json").status_code == 400
    assert commander.post(f"{base(incident)}/risks/", {"risk": 999999}, format="json").status_code == 400
    response = commander.post(f"{base(incident)}/risks/unlink/", {"risk": risk.pk}, format="json")
    assert response.json()["risks"] == []
    assert (
        commander.post(f"{base(incident)}/risks/unlink/", {"risk": risk.pk}, format="json").status_code == 400
    )
    assert [(e.type, e.data["risk"], e.data["reason"]) for e in entries(incident, "risk.linked")] == [
        ("risk.linked", risk.pk, "It happened")
    ]
    assert len(entries(incident, "risk.unlinked")) == 1


def added_task_body(cast, **changes):
    return {
        "title": "Call the insurer",
        "responsible": [{"user": cast["logistics"].pk}],
        "accountable": {"team": cast["supply"].pk},
        "due_after": "PT1H",
        "escalate_after": "PT30M",
        **changes,
    }


def test_an_added_task_opens_at_once_and_escalates_like_a_playbook_task(
    commander, cast, incident, declared_at
):
    now = declared_at  # the API reads the clock: the incident was declared a moment ago
    response = commander.post(f"{base(incident)}/tasks/", added_task_body(cast), format="json")
    assert response.status_code == 201, response.json()
    task = response.json()
    assert task["state"] == "open" and task["step"] is None and task["tier"] == "T1"
    assert task["raci"]["responsible"] == [{"user": cast["logistics"].pk}]
    [entry] = entries(incident, "task.added")
    assert entry.data["task"] == task["id"] and entry.actor == cast["commander"]
    assert Notification.objects.filter(recipient=cast["logistics"], kind="task.opened").exists()
    levels = Timer.objects.filter(task_id=task["id"]).order_by("level")
    due = levels[0].due_at
    assert [t.due_at - due for t in levels] == [0 * H, H / 2, H]
    assert now <= due - H < now + H / 60

    Timer.objects.filter(kind=TimerKind.UPDATE_DUE).update(state=TimerState.CANCELLED)  # only the task here
    fire_due(due)
    overdue = TimelineEntry.objects.get(incident=incident, type="task.overdue")
    assert overdue.data["task"] == task["id"]
    fire_due(due + H)
    assert incident.tasks.get(pk=task["id"]).escalation_level == 3
    assert Notification.objects.filter(recipient=cast["ceo"], kind="escalation").exists()


def test_an_added_task_in_a_drill_runs_on_plan_time(api, cast, playbook):
    drill = services.incident_declare(
        title="Drill",
        severity=2,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        drill=True,
        clock_rate=60,
    )
    response = api.as_user(cast["commander"]).post(
        f"/api/v1/incidents/{drill.pk}/tasks/", added_task_body(cast), format="json"
    )
    levels = list(Timer.objects.filter(task_id=response.json()["id"]).order_by("level"))
    assert levels[1].due_at - levels[0].due_at == H / 2 / 60  # 30 plan minutes are 30 s at ×60


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"responsible": []}, "responsible"),
        ({"accountable": {}}, "accountable"),
        ({"due_after": "soon"}, "due_after"),
        ({"due_after": None, "due_at": None}, "due_at"),
        ({"escalate_after": "PT0S"}, "escalate_after"),
        ({"responsible": [{"user": 999999}]}, "responsible"),
    ],
)
def test_a_bad_task_is_a_field_error_and_adds_nothing(commander, cast, incident, changes, field):
    tasks = incident.tasks.count()
    response = commander.post(f"{base(incident)}/tasks/", added_task_body(cast, **changes), format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert incident.tasks.count() == tasks


def test_resolving_with_a_summary_skips_or_keeps_the_open_tasks(commander, cast, incident):
    url = f"{base(incident)}/resolve/"
    before = incident.last_seq
    for body, field in [
        ({"summary": "  "}, "summary"),
        ({"summary": "Done", "open_tasks": "skip"}, "skip_reason"),
        ({"summary": "Done", "open_tasks": "forget"}, "open_tasks"),
    ]:
        response = commander.post(url, body, format="json")
        assert response.status_code == 400 and field in response.json()
    incident.refresh_from_db()
    assert (incident.status, incident.last_seq) == ("active", before)

    response = commander.post(
        url,
        {"summary": "Backup supplier delivering", "open_tasks": "skip", "skip_reason": "Moot once resolved"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["resolution_summary"] == "Backup supplier delivering"
    assert not incident.tasks.exclude(state=TaskState.SKIPPED).exists()
    assert {t.note for t in incident.tasks.all()} == {"Moot once resolved"}
    resolved = entries(incident, "incident.resolved")[0]
    assert resolved.data["summary"] == "Backup supplier delivering" and resolved.data["kept"] == []
    assert len(entries(incident, "task.skipped")) == 3


def test_resolving_keeps_open_tasks_for_follow_up_and_the_bare_contract_post_still_works(commander, incident):
    response = commander.post(f"{base(incident)}/resolve/")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    assert incident.tasks.filter(state=TaskState.OPEN).count() == 1
    [entry] = entries(incident, "incident.resolved")
    assert entry.data["open_tasks"] == "keep" and len(entry.data["kept"]) == 3


def test_a_closed_incident_is_not_changed(cast, incident):
    services.incident_resolve(incident_id=incident.pk, by=cast["commander"])
    review_waive(incident_id=incident.pk, by=cast["admin"], reason="Drill")
    services.incident_close(incident_id=incident.pk, by=cast["commander"])
    with pytest.raises(InvalidTransition):
        services.incident_change_severity(
            incident_id=incident.pk, severity=2, reason="x", by=cast["commander"]
        )
