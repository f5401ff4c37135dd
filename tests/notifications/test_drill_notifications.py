"""A drill says DRILL in every channel and, by default, tells only the people it names, in-app and by
chat; e-mail to executives and escalation contacts only when a person opts in. Real incidents are
unchanged, and their e-mail names the severity, what is late, whose it is, how late, the tier."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import Value
from django.db.models.functions import Concat

from incidents import services as incidents
from notifications.models import Channel, Delivery, DrillChoice, Notification, WebhookEndpoint
from notifications.services import drill_preference_set
from people.models import User
from tests.factories import H, fire_due, plant_fire, send_deliveries

pytestmark = pytest.mark.django_db


@pytest.fixture
def reachable(cast):
    """Everyone in the cast has an e-mail address."""
    User.objects.update(email=Concat("username", Value("@example.com")))
    return cast


def run_drill(cast, playbook, declared_at, **drill):
    """The supply-chain drill at clock rate 3600, every timer of 100 plan hours fired."""
    incident = plant_fire(cast, playbook, declared_at, drill=True, clock_rate=3600, **drill)
    fire_due(declared_at + 100 * H / 3600)
    return incident


def test_a_drill_says_drill_everywhere_and_tells_only_its_people_in_app_and_by_chat(
    reachable, playbook, declared_at, chat_bot
):
    cast = reachable
    WebhookEndpoint.objects.create(name="Supply chat", service="json", url=chat_bot.url, team=cast["supply"])
    incident = run_drill(cast, playbook, declared_at)
    told = Notification.objects.filter(incident_id=incident.pk)
    assert told.filter(kind="escalation").exists() and told.filter(kind="task.overdue").exists()
    for notification in told:
        assert notification.title.startswith("[DRILL] "), notification.title
        assert notification.body.startswith("DRILL: an exercise, not a real incident."), notification.body
        assert notification.drill and notification.tag == "DRILL"
    participants = {cast[name].pk for name in ("buyer", "logistics", "contact", "pr_lead", "commander")}
    assert set(told.values_list("recipient_id", flat=True)) <= participants
    assert not told.filter(recipient=cast["ceo"]).exists()
    assert not Delivery.objects.filter(channel=Channel.EMAIL).exists()

    send_deliveries(channel=Channel.WEBHOOK)
    assert chat_bot.received
    for payload in chat_bot.received:
        assert payload["title"].startswith("[DRILL] ") and payload["drill"] is True
        assert payload["body"].startswith("DRILL: an exercise")
        assert "/links/" not in payload["body"]  # a team's channel carries no one's personal links


def test_an_executive_who_opts_in_gets_the_drill_by_e_mail_marked_drill_and_one_who_opts_out_nothing(
    reachable, playbook, declared_at
):
    cast = reachable
    drill_preference_set(user=cast["ceo"], by=cast["ceo"], choice=DrillChoice.ALL)
    drill_preference_set(user=cast["buyer"], by=cast["buyer"], choice=DrillChoice.NONE)
    incident = run_drill(cast, playbook, declared_at)
    assert not Notification.objects.filter(incident_id=incident.pk, recipient=cast["buyer"]).exists()
    send_deliveries(channel=Channel.EMAIL)
    assert {message.to[0] for message in mail.outbox} == {"ceo@example.com"}
    for message in mail.outbox:
        assert message.subject.startswith("[DRILL] ")
        assert message.body.startswith("DRILL: an exercise, not a real incident.")
        assert "of plan time" in message.body


def test_a_chinese_reader_reads_drill_in_chinese_too(reachable, playbook, declared_at):
    cast = reachable
    User.objects.filter(pk=cast["commander"].pk).update(language="zh-hans", timezone="Asia/Shanghai")
    incident = run_drill(cast, playbook, declared_at)
    for notification in Notification.objects.filter(incident_id=incident.pk, recipient=cast["commander"]):
        assert notification.title.startswith("[DRILL 演练] ") and "演练" in notification.body


@pytest.mark.usefixtures("no_update_cadence")  # the task's escalation alone, not a missed update with it
def test_a_real_incidents_executives_get_an_e_mail_that_says_what_is_late_by_whom_and_how_late(
    reachable, playbook, declared_at
):
    cast = reachable
    User.objects.filter(pk=cast["ceo"].pk).update(timezone="Asia/Shanghai")
    incident = plant_fire(cast, playbook, declared_at)
    fire_due(declared_at + 4 * H)  # task 1 due at 2 h, level 3 at 4 h
    send_deliveries(channel=Channel.EMAIL)
    [to_ceo] = [message for message in mail.outbox if message.to == ["ceo@example.com"]]
    assert (
        to_ceo.subject
        == "[SEV1] Main supplier plant fire: “Switch to the backup-supplier pool” escalated to executives "
        "(level 3)"
    )
    body = to_ceo.body
    assert "“Switch to the backup-supplier pool” was due" in body and "(Asia/Shanghai)" in body
    assert "Late by 2 hours." in body
    assert "Responsible: Supply chain. Accountable: Supply chain." in body
    assert "Current tier: Level 1." in body and "No status update yet." in body
    assert f"Open the war room: {settings.SITE_URL}/links/" in body
    assert "Acknowledge this task" not in body  # an executive may not acknowledge it: no such link
    to_buyer = [message.body for message in mail.outbox if message.to == ["buyer@example.com"]]
    assert any("Acknowledge this task" in body for body in to_buyer), to_buyer
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", body), "no ISO timestamp in what people read"
    assert not Notification.objects.filter(incident_id=incident.pk, drill=True).exists()


def test_the_drill_preference_api_reads_changes_and_refuses_bad_input(api, cast):
    client = api.as_user(cast["ceo"])
    url = "/api/v1/notification-preferences/drills/"
    assert client.get(url).json()["drills"] == "in_app"
    bad = client.patch(url, {"drills": "sometimes"}, format="json")
    assert bad.status_code == 400 and "drills" in bad.json()
    assert client.get(url).json()["drills"] == "in_app"
    assert client.patch(url, {"drills": "all"}, format="json").json()["drills"] == "all"
    assert api.as_user(cast["buyer"]).get(url).json()["drills"] == "in_app"


def test_the_preferences_page_sets_the_drill_choice(client, cast):
    client.force_login(cast["ceo"])
    page = client.get("/notifications/").content.decode()
    assert 'name="drills" value="in_app" checked' in page
    client.post("/notifications/preferences/", {"drills": "none"})
    assert 'name="drills" value="none" checked' in client.get("/notifications/").content.decode()


def test_a_task_added_and_a_role_handed_over_in_a_drill_say_drill_too(reachable, playbook, declared_at):
    cast = reachable
    drill = plant_fire(cast, playbook, declared_at, drill=True, clock_rate=3600)
    Notification.objects.all().delete()
    incidents.task_add(
        incident_id=drill.pk,
        title="Call the insurer",
        responsible=[{"user": cast["logistics"]}],
        accountable={"team": cast["supply"]},
        escalate_after=H,
        due_after=H,
        by=cast["commander"],
        now=declared_at,
    )
    incidents.incident_assign_role(
        incident_id=drill.pk, role="scribe", user=cast["ceo"], by=cast["commander"], now=declared_at
    )
    told = {n.recipient.username: n for n in Notification.objects.filter(incident_id=drill.pk)}
    assert set(told) == {"logistics", "ceo"}  # the scribe is named by the drill, so told in-app
    for notification in told.values():
        assert notification.title.startswith("[DRILL] ") and notification.drill, notification.title
    assert mail.outbox == [] and not Delivery.objects.filter(channel=Channel.EMAIL).exists()
