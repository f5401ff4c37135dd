"""A person's rule: a notice about a task they may acknowledge is told again every N minutes (plan
minutes in a drill) until someone acknowledges the task, by the channels the rule ticks; the
incident ending stops it too. Time is passed in, never slept through."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from incidents import services as incidents
from notifications.models import Channel, Delivery, Notification, NotificationRule, Repeat, WebhookEndpoint
from notifications.repeats import repeats_fire
from notifications.rules import rule_set
from people.models import User
from tests.factories import H, fire_due, plant_fire

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)
STILL = "Still unacknowledged: "


@pytest.fixture
def buyer(cast):
    """The buyer (Responsible and Accountable, through the supply team, for the first task) repeats
    every 10 minutes, by e-mail and not on their own chat."""
    buyer = cast["buyer"]
    User.objects.filter(pk=buyer.pk).update(email="buyer@example.com")
    buyer.refresh_from_db()
    WebhookEndpoint.objects.create(name="Buyer's chat", service="json", url="http://127.0.0.1:9/", user=buyer)
    rule_set(user=buyer, by=buyer, repeat_minutes=10, email=True, chat=False)
    return buyer


def repeats_to(person):
    return Notification.objects.filter(recipient=person, title__startswith=STILL).order_by("pk")


def overdue(incident, declared_at):
    """Fires the first task's level 1 (due 2 h after declaring): the overdue notice, and its repeats."""
    fire_due(declared_at + 2 * H)
    return incident.tasks.get(tier__key="T1")


def told_at(person) -> dt.datetime:
    """When the notice that started the person's repeat was told (notify_all stamps the clock's now)."""
    return Repeat.objects.get(recipient=person).notification.created_at


def test_an_overdue_notice_repeats_every_n_minutes_until_acknowledged(buyer, cast, playbook, declared_at):
    incident = plant_fire(cast, playbook, declared_at)
    task = overdue(incident, declared_at)
    due = told_at(buyer)
    first = Notification.objects.get(recipient=buyer, kind="task.overdue")
    assert Repeat.objects.filter(recipient=buyer).count() == 1  # the buyer's rule; nobody else has one

    assert repeats_fire(now=due + 9 * MINUTE) == 0
    assert repeats_fire(now=due + 10 * MINUTE) == 1
    assert repeats_fire(now=due + 15 * MINUTE) == 0
    assert repeats_fire(now=due + 20 * MINUTE) == 1
    again = repeats_to(buyer)
    assert again.count() == 2
    assert again[0].title == STILL + first.title
    assert again[0].task_id == task.pk and again[0].kind == "task.overdue"
    assert "Told again every 10 minutes until someone acknowledges it." in again[0].body
    assert not Notification.objects.filter(recipient=cast["logistics"], title__startswith=STILL).exists()

    incidents.task_acknowledge(task_id=task.pk, by=cast["logistics"], now=due + 25 * MINUTE)
    assert repeats_fire(now=due + 40 * MINUTE) == 0
    assert repeats_to(buyer).count() == 2
    assert Repeat.objects.get().stopped_at == due + 25 * MINUTE


def test_repeats_go_by_the_channels_the_rule_ticks(buyer, cast, playbook, declared_at):
    overdue(plant_fire(cast, playbook, declared_at), declared_at)
    repeats_fire(now=told_at(buyer) + 10 * MINUTE)
    channels = Delivery.objects.filter(notification__in=repeats_to(buyer)).values_list("channel", flat=True)
    assert list(channels) == [Channel.EMAIL]  # e-mail ticked, chat not

    rule_set(user=buyer, by=buyer, repeat_minutes=10, email=False, chat=True)
    repeats_fire(now=told_at(buyer) + 20 * MINUTE)
    second = repeats_to(buyer).last()
    assert list(Delivery.objects.filter(notification=second).values_list("channel", flat=True)) == [
        Channel.WEBHOOK
    ]


def test_no_rule_no_repeat_and_turning_the_rule_off_stops_it(buyer, cast, playbook, declared_at):
    overdue(plant_fire(cast, playbook, declared_at), declared_at)
    assert not Repeat.objects.exclude(recipient=buyer).exists()
    rule_set(user=buyer, by=buyer, repeat_minutes=None)
    assert repeats_fire(now=told_at(buyer) + H) == 0


def test_finishing_the_task_or_resolving_the_incident_stops_the_repeats(buyer, cast, playbook, declared_at):
    first, second = (plant_fire(cast, playbook, declared_at) for _ in range(2))
    fire_due(declared_at + 2 * H)
    assert Repeat.objects.filter(stopped_at__isnull=True).count() == 2
    done_at = declared_at + 2 * H + MINUTE
    incidents.task_complete(task_id=first.tasks.get(tier__key="T1").pk, by=buyer, now=done_at)
    incidents.incident_resolve(incident_id=second.pk, by=cast["commander"], now=done_at)
    assert repeats_fire(now=done_at + 4 * H) == 0
    assert not Repeat.objects.filter(stopped_at__isnull=True).exists()


def test_an_acknowledged_task_escalating_further_starts_no_repeat(buyer, cast, playbook, declared_at):
    incident = plant_fire(cast, playbook, declared_at)
    task = incident.tasks.get(tier__key="T1")
    incidents.task_acknowledge(task_id=task.pk, by=buyer, now=declared_at + H)
    fire_due(declared_at + 4 * H)  # levels 1 and 2: the task is acknowledged, still escalating
    assert Notification.objects.filter(recipient=buyer, task_id=task.pk).exists()
    assert not Repeat.objects.exists()


def test_a_drill_repeats_in_plan_time_and_says_drill(buyer, cast, playbook, declared_at):
    incident = plant_fire(cast, playbook, declared_at, drill=True, clock_rate=60)
    fire_due(declared_at + 2 * H / 60)
    repeat = Repeat.objects.get(recipient=buyer)
    assert repeat.every == dt.timedelta(seconds=10)  # 10 plan minutes at 60× is 10 real seconds
    due = told_at(buyer)
    assert repeats_fire(now=due + dt.timedelta(seconds=9)) == 0
    assert repeats_fire(now=due + dt.timedelta(seconds=10)) == 1
    told = Notification.objects.get(recipient=buyer, title__startswith="[DRILL] " + STILL)
    assert told.drill and told.tag == "DRILL" and told.incident_id == incident.pk
    assert told.body.startswith("DRILL: an exercise, not a real incident.")
    assert "Told again every 10 minutes of plan time until someone acknowledges it." in told.body
    assert told.title.count("[DRILL]") == 1


def test_a_chinese_reader_reads_the_repeat_in_chinese(buyer, cast, playbook, declared_at):
    User.objects.filter(pk=buyer.pk).update(language="zh-hans", timezone="Asia/Shanghai")
    overdue(plant_fire(cast, playbook, declared_at), declared_at)
    repeats_fire(now=told_at(buyer) + 10 * MINUTE)
    told = Notification.objects.filter(recipient=buyer).order_by("-pk").first()
    assert told.title.startswith("仍未确认：")
    assert "10 分钟" in told.body and "Told again" not in told.body


class TestTheApi:
    url = "/api/v1/notification-preferences/rule/"

    def test_read_and_set(self, api, cast):
        client = api.as_user(cast["buyer"])
        assert client.get(self.url).json() == {"repeat_minutes": None, "email": True, "chat": True}
        answer = client.patch(self.url, {"repeat_minutes": 15, "chat": False}, format="json")
        assert answer.status_code == 200
        assert answer.json() == {"repeat_minutes": 15, "email": True, "chat": False}
        assert client.patch(self.url, {"email": False}, format="json").json()["repeat_minutes"] == 15
        answer = client.patch(self.url, {"repeat_minutes": None}, format="json")
        assert answer.json()["repeat_minutes"] is None

    @pytest.mark.parametrize("bad", [0, 1441, -5, "often", 2.5])
    def test_bad_input_is_refused_on_its_field_and_changes_nothing(self, api, cast, bad):
        buyer = cast["buyer"]
        rule_set(user=buyer, by=buyer, repeat_minutes=30, email=True, chat=True)
        audits = AuditEntry.objects.count()
        answer = api.as_user(buyer).patch(self.url, {"repeat_minutes": bad, "email": False}, format="json")
        assert answer.status_code == 400
        assert list(answer.json()) == ["repeat_minutes"]
        rule = NotificationRule.objects.get(user=buyer)
        assert (rule.repeat_minutes, rule.email) == (30, True)
        assert AuditEntry.objects.count() == audits


class TestThePage:
    def test_the_form_sets_the_rule(self, client, cast):
        client.force_login(cast["buyer"])
        answer = client.post("/notifications/rule/", {"repeat_minutes": "5", "email": "1"})
        assert answer.status_code == 302
        rule = NotificationRule.objects.get(user=cast["buyer"])
        assert (rule.repeat_minutes, rule.email, rule.chat) == (5, True, False)

    @pytest.mark.parametrize("typed", ["0", "2000", "soon"])
    def test_a_refused_form_keeps_what_was_typed_and_says_why_next_to_the_field(self, client, cast, typed):
        client.force_login(cast["buyer"])
        answer = client.post("/notifications/rule/", {"repeat_minutes": typed, "chat": "1"})
        assert answer.status_code == 400
        page = answer.content.decode()
        assert f'value="{typed}"' in page
        assert 'id="repeat-minutes-errors"' in page and "Repeat every 1 to 1440 minutes" in page
        assert not NotificationRule.objects.exists()

    def test_the_section_in_chinese(self, client, cast):
        User.objects.filter(pk=cast["buyer"].pk).update(language="zh-hans")
        client.force_login(cast["buyer"])
        page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "在你确认之前" in page and "Until you acknowledge" not in page
