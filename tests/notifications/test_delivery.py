"""Delivering: e-mail through Django's mail, webhooks to a real local HTTP server, retries, claims."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.kinds import KINDS
from notifications.models import Channel, Delivery, DeliveryState, WebhookEndpoint
from notifications.services import deliveries_requeue_stalled, delivery_send, notify
from notifications.tasks import deliver
from riskops.celery import app as celery_app

pytestmark = pytest.mark.django_db


def told(recipients, kind="escalation", **extra):
    """notify() as a caller would, without queueing (these tests run the task themselves)."""
    with mock.patch.object(celery_app, "send_task"):
        return notify(recipients=recipients, kind=kind, title=KINDS[kind], **extra)


def test_e_mail_goes_out_through_djangos_mail_in_the_recipients_language(chinese):
    told([chinese], body="供应商 A 停工", url="/incidents/3/")
    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    assert deliver.apply(args=[delivery.pk]).get() == DeliveryState.SENT
    [message] = mail.outbox
    assert message.to == ["zh@example.com"]
    assert message.subject == "有升级事项找到我"
    assert message.body == f"供应商 A 停工\n\n{settings.SITE_URL}/incidents/3/"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.SENT, 1, "")
    assert delivery.sent_at is not None


def test_a_json_webhook_posts_the_notification_to_the_endpoint(english, chat_bot):
    WebhookEndpoint.objects.create(name="Bot", service="json", url=chat_bot.url, user=english)
    kind = "tier.started"  # sent at once (an incident's overdue and escalation notices wait to be grouped)
    [notification] = told([english], kind, body="Supplier A stopped", url="/incidents/3/", incident_id=3)
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert deliver.apply(args=[delivery.pk]).get() == DeliveryState.SENT
    [payload] = chat_bot.received
    body = payload.pop("body")
    assert payload == {
        "id": notification.pk,
        "kind": kind,
        "title": "A response tier starts",
        "notifications": [notification.pk],
        "url": f"{settings.SITE_URL}/incidents/3/",
        "drill": False,
        "incident": 3,
        "recipient": english.username,
        "created_at": notification.created_at.isoformat(),
    }
    # A person's own webhook carries their signed link to the war room.
    assert body.startswith(f"Supplier A stopped\n\nOpen the war room: {settings.SITE_URL}/links/")


def test_an_apprise_endpoint_is_delivered_by_apprise(english, chat_bot):
    apprise_url = chat_bot.url.replace("http://", "json://")
    WebhookEndpoint.objects.create(name="Apprise", service="apprise", url=apprise_url, user=english)
    told([english], body="Supplier A stopped")
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert deliver.apply(args=[delivery.pk]).get() == DeliveryState.SENT
    [payload] = chat_bot.received
    assert payload["title"] == "An escalation reaches me"
    assert payload["message"] == "Supplier A stopped"


def test_a_refused_endpoint_is_retried_then_marked_failed_while_the_e_mail_goes_out(english, refused_url):
    WebhookEndpoint.objects.create(name="Down", service="json", url=refused_url, user=english)
    told([english])
    webhook = Delivery.objects.get(channel=Channel.WEBHOOK)
    email = Delivery.objects.get(channel=Channel.EMAIL)

    # apply() runs the task's automatic retries in this process, one after another.
    assert deliver.apply(args=[webhook.pk]).get() == DeliveryState.FAILED
    assert deliver.apply(args=[email.pk]).get() == DeliveryState.SENT

    webhook.refresh_from_db()
    assert webhook.state == DeliveryState.FAILED
    assert webhook.attempts == services.MAX_ATTEMPTS
    assert "refused" in webhook.last_error.lower()
    assert len(mail.outbox) == 1


def test_a_failed_attempt_leaves_the_delivery_pending_for_the_retry(english, refused_url):
    WebhookEndpoint.objects.create(name="Down", service="json", url=refused_url, user=english)
    told([english])
    webhook = Delivery.objects.get(channel=Channel.WEBHOOK)
    with pytest.raises(services.DeliveryFailed):
        delivery_send(delivery_id=webhook.pk)
    webhook.refresh_from_db()
    assert (webhook.state, webhook.attempts) == (DeliveryState.PENDING, 1)


def test_a_redelivered_task_sends_once(english, chat_bot):
    WebhookEndpoint.objects.create(name="Bot", service="json", url=chat_bot.url, user=english)
    told([english])
    for delivery in Delivery.objects.all():
        for _ in range(3):
            deliver.apply(args=[delivery.pk])
    assert len(chat_bot.received) == 1
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("state", "attempts")) == {(DeliveryState.SENT, 1)}


def test_a_delivery_claimed_by_a_live_worker_is_left_alone_and_a_stale_claim_is_taken_over(english):
    told([english])
    delivery = Delivery.objects.get()
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING, claimed_at=now, attempts=1)

    assert delivery_send(delivery_id=delivery.pk, now=now + dt.timedelta(minutes=1)) == DeliveryState.SENDING
    assert mail.outbox == []

    later = now + services.CLAIM_LEASE + dt.timedelta(seconds=1)
    assert delivery_send(delivery_id=delivery.pk, now=later) == DeliveryState.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_delivery_send_it_once(english, chat_bot):
    WebhookEndpoint.objects.create(name="Bot", service="json", url=chat_bot.url, user=english)
    told([english])
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    start = threading.Barrier(4)
    outcomes = []

    def worker():
        from django.db import connection

        start.wait()
        try:
            outcomes.append(delivery_send(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(chat_bot.received) == 1
    assert len(outcomes) == 4
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)  # claimed once


def test_the_sweep_queues_again_only_deliveries_nobody_works_on(english, make_user):
    now = timezone.now()
    told([english, make_user(email="b@example.com"), make_user(email="c@example.com")])
    fresh, lost, dead_worker = Delivery.objects.order_by("id")
    hour_ago = now - dt.timedelta(hours=1)
    Delivery.objects.filter(pk=lost.pk).update(created_at=hour_ago)
    Delivery.objects.filter(pk=dead_worker.pk).update(
        created_at=hour_ago, state=DeliveryState.SENDING, claimed_at=hour_ago
    )
    Delivery.objects.filter(pk=fresh.pk).update(created_at=now)
    with mock.patch.object(celery_app, "send_task") as queued:
        assert sorted(deliveries_requeue_stalled(now=now)) == sorted([lost.pk, dead_worker.pk])
    assert sorted(call.kwargs["args"][0] for call in queued.call_args_list) == sorted(
        [lost.pk, dead_worker.pk]
    )
