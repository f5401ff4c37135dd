"""notify(): one row per distinct recipient, in their language; channels only after commit."""

from unittest import mock

import pytest
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notifications.kinds import KINDS
from notifications.models import Channel, Delivery, Notification, Preference, WebhookEndpoint
from notifications.services import notify
from riskops.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_one_notification_per_distinct_recipient_in_their_language(english, chinese):
    title = format_lazy("{}: {}", KINDS["escalation"], "Backup supplier")
    with mock.patch.object(celery_app, "send_task"):
        notifications = notify(
            recipients=[english, chinese, english, chinese],
            kind="escalation",
            title=title,
            body=_("A task is overdue"),
            url="/incidents/7/",
            incident_id=7,
        )
    assert len(notifications) == 2
    stored = {n.recipient_id: n for n in Notification.objects.all()}
    assert set(stored) == {english.pk, chinese.pk}
    assert stored[english.pk].title == "An escalation reaches me: Backup supplier"
    assert stored[chinese.pk].title == "有升级事项找到我: Backup supplier"
    assert stored[chinese.pk].body == "任务已逾期"
    assert stored[english.pk].body == "A task is overdue"
    assert all(n.incident_id == 7 and n.url == "/incidents/7/" and n.read_at is None for n in stored.values())


def test_notify_takes_the_same_queries_for_two_people_or_twelve(
    english, chinese, make_user, django_assert_max_num_queries
):
    def queries_to_tell(people):
        with django_assert_max_num_queries(10) as captured, mock.patch.object(celery_app, "send_task"):
            notify(recipients=people, kind="task.overdue", title="Overdue")
        return [query["sql"] for query in captured.captured_queries]

    few = queries_to_tell([english, chinese])
    many = queries_to_tell([english, chinese, *(make_user(email=f"{n}@example.com") for n in range(10))])
    assert len(few) == len(many)
    for table in ("notifications_notification", "notifications_delivery"):
        assert sum(sql.startswith(f'INSERT INTO "{table}"') for sql in many) == 1
    assert Notification.objects.count() == 14
    assert Delivery.objects.count() == 14  # everyone has an e-mail address


def test_deliveries_are_queued_only_after_commit(english, django_capture_on_commit_callbacks):
    with mock.patch.object(celery_app, "send_task") as send_task:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            notify(recipients=[english], kind="task.overdue", title="Overdue")
        assert not send_task.called
        for callback in callbacks:
            callback()
    delivery = Delivery.objects.get()
    assert delivery.channel == Channel.EMAIL
    send_task.assert_called_once_with("notifications.deliver", args=[delivery.pk])


def test_nothing_is_written_or_queued_when_the_callers_transaction_rolls_back(
    english, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[english], kind="task.overdue", title="Overdue")
        raise RuntimeError("the caller fails")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_a_broker_that_is_down_does_not_fail_the_caller(english, django_capture_on_commit_callbacks):
    broker_down = mock.patch.object(celery_app, "send_task", side_effect=ConnectionError("broker down"))
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        notifications = notify(recipients=[english], kind="task.overdue", title="Overdue")
    assert len(notifications) == 1
    assert Delivery.objects.get().state == "pending"  # the sweep queues it again


def test_e_mail_follows_the_preference_per_kind(english, chinese):
    Preference.objects.create(user=english, kind="tier.started", email=False)
    with mock.patch.object(celery_app, "send_task"):
        notify(recipients=[english, chinese], kind="tier.started", title="Tier 2")
        notify(recipients=[english], kind="task.overdue", title="Overdue")
    emailed = Delivery.objects.filter(channel=Channel.EMAIL)
    assert sorted(d.notification.recipient_id for d in emailed) == sorted([chinese.pk, english.pk])
    assert emailed.get(notification__recipient=english).notification.kind == "task.overdue"


def test_a_team_webhook_hears_each_notification_once(english, chinese, team, make_user):
    from people.models import Membership

    Membership.objects.create(team=team, user=english)
    Membership.objects.create(team=team, user=chinese)
    WebhookEndpoint.objects.create(
        name="Team chat", service="json", url="https://chat.example/hook", team=team
    )
    WebhookEndpoint.objects.create(
        name="Only tiers", service="json", url="https://chat.example/t", team=team, kinds=["tier.started"]
    )
    WebhookEndpoint.objects.create(
        name="Off", service="json", url="https://chat.example/o", team=team, active=False
    )
    mine = WebhookEndpoint.objects.create(
        name="Mine", service="json", url="https://me.example/", user=chinese
    )
    Preference.objects.create(user=english, kind="escalation", webhook=False)
    with mock.patch.object(celery_app, "send_task"):
        notify(recipients=[chinese, english], kind="escalation", title="Escalated")
    webhooks = Delivery.objects.filter(channel=Channel.WEBHOOK).select_related("notification", "endpoint")
    assert sorted((d.endpoint.name, d.notification.recipient_id) for d in webhooks) == sorted(
        [("Team chat", chinese.pk), (mine.name, chinese.pk)]
    )


def test_inactive_and_no_recipients_are_not_told(english):
    english.is_active = False
    english.save()
    assert notify(recipients=[english], kind="task.overdue", title="Overdue") == []
    assert notify(recipients=[], kind="task.overdue", title="Overdue") == []
    assert not Notification.objects.exists()
