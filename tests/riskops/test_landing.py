"""Each role lands where its work is (the home page, "/")."""

import datetime as dt

import pytest
from django.utils import timezone

from incidents.models import Timer, TimerState
from indicators.models import KRI
from notifications.models import Delivery, DeliveryState, Notification
from people.models import Role
from risks import services as risk_services
from risks.models import Risk, TreatmentAction
from tests.factories import H, plant_fire

pytestmark = pytest.mark.django_db


def landing(client, user):
    client.force_login(user)
    return client.get("/")


def test_an_executive_lands_on_the_cockpit(client, executive):
    response = landing(client, executive)
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_a_responder_sees_overdue_tasks_first_their_live_incidents_and_unread_notices(client, cast, playbook):
    incident = plant_fire(cast, playbook, timezone.now() - 3 * H)  # T1's step was due after 2 h
    Notification.objects.create(
        recipient=cast["buyer"], kind="incident_declared", title="Plant fire declared"
    )

    response = landing(client, cast["buyer"])

    assert response.status_code == 200
    work = response.context["work"]
    assert [task.title for task in work["overdue_tasks"]] == ["Switch to the backup-supplier pool"]
    assert work["incidents"] == [incident]
    page = response.content.decode()
    assert "What needs you" in page and "1 overdue" in page
    assert "Main supplier plant fire" in page and "commanded by commander" in page
    assert "Plant fire declared" in page


def test_the_commander_sees_the_incident_they_command(client, cast, incident):
    page = landing(client, cast["commander"]).content.decode()
    assert "Main supplier plant fire" in page and "you command it" in page


def test_a_person_with_nothing_to_do_is_told_so(client, cast, incident):
    page = landing(client, cast["outsider"]).content.decode()
    assert "Nothing is yours to do right now." in page
    assert "You are in no live incident." in page
    assert "Nothing unread. You are up to date." in page
    assert "Main supplier plant fire" not in page


@pytest.fixture
def neglected_register(officer, risk, make_kri):
    """The DAU risk with its review a week late, a critical risk above appetite, a red KRI, a late action."""
    now = timezone.now()
    Risk.objects.filter(pk=risk.pk).update(next_review_at=now - dt.timedelta(days=7))
    critical = risk_services.risk_create(
        by=officer, title="Main plant burns", category=risk.category, owner=officer, likelihood=5, impact=5
    )
    kri = make_kri(name="Inventory days")
    KRI.objects.filter(pk=kri.pk).update(band="red", last_value=95, last_measured_at=now - H)
    action = risk_services.action_create(
        risk=critical, by=officer, title="Second supplier contract", owner=officer, due_at=now + H
    )
    TreatmentAction.objects.filter(pk=action.pk).update(due_at=now - dt.timedelta(days=2))


@pytest.mark.usefixtures("neglected_register")
def test_a_risk_officer_lands_on_the_registers_attention_list(client, officer):
    response = landing(client, officer)

    attention = response.context["attention"]
    assert [risk.title for risk in attention["reviews_overdue"].items] == ["Daily active users swing"]
    assert "Main plant burns" in [risk.title for risk in attention["above_appetite"].items]
    assert [kri.name for kri in attention["kris"].items] == ["Inventory days"]
    assert [action.title for action in attention["actions_overdue"].items] == ["Second supplier contract"]
    page = response.content.decode()
    assert "Needs your attention" in page
    assert "/risks/?review_overdue=on&amp;ordering=next_review_at" in page
    assert "last reading 95 " in page


def test_a_calm_register_says_so(client, risk_officer, matrix):
    page = landing(client, risk_officer).content.decode()
    for calm in (
        "Every review is on time.",
        "No risk is above appetite.",
        "Every KRI is green.",
        "No treatment action is overdue.",
    ):
        assert calm in page


def test_an_administrator_lands_on_system_health(client, cast, incident):
    notice = Notification.objects.create(recipient=cast["ceo"], kind="escalation", title="Task escalated")
    Delivery.objects.create(
        notification=notice,
        channel="email",
        state=DeliveryState.FAILED,
        attempts=5,
        last_error="SMTP refused",
    )
    Timer.objects.filter(incident=incident, state=TimerState.PENDING).update(due_at=timezone.now() - H)

    response = landing(client, cast["admin"])

    health = response.context["health"]
    assert [(component.name, state) for component, state in health["components"]][0] == ("Database", "ok")
    assert health["timers"]["late"] == health["timers"]["pending"] > 0
    page = response.content.decode()
    assert "System health" in page and "Task escalated" in page and "SMTP refused" in page
    assert "more than a minute late" in page
    assert "/admin/people/user/" in page


@pytest.mark.parametrize("role", [Role.RESPONDER, Role.RISK_OFFICER, Role.ADMIN])
def test_each_landing_page_speaks_chinese(client, make_user, matrix, role):
    response = landing(client, make_user(role, language="zh-hans"))
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert {"responder": "需要您处理的事项", "risk_officer": "需要您关注的事项", "admin": "系统状态"}[
        role
    ] in page
