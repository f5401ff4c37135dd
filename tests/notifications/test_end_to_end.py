"""The whole path on the real broker and a real worker: notify() → commit → Celery → channels."""

import time

import pytest
from django.core import mail
from django.db import transaction

from notifications.kinds import KINDS
from notifications.models import Channel, Delivery, DeliveryState, WebhookEndpoint
from notifications.services import MAX_ATTEMPTS, notify
from riskops.celery import app as celery_app
from tests.processes import worker_in_this_process

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def state_of(**lookup):
    return Delivery.objects.filter(**lookup).values_list("state", "attempts").get()


def test_a_failing_endpoint_never_holds_up_the_e_mail_or_the_working_webhook(english, chat_bot, refused_url):
    assert not celery_app.conf.task_always_eager
    WebhookEndpoint.objects.create(name="Bot", service="json", url=chat_bot.url, user=english)
    WebhookEndpoint.objects.create(name="Down", service="json", url=refused_url, user=english)

    with worker_in_this_process():
        with transaction.atomic():
            notify(recipients=[english], kind="escalation", title=KINDS["escalation"], incident_id=9)

        assert chat_bot.arrived.wait(timeout=15), "the webhook never arrived"
        assert wait_for(lambda: len(mail.outbox) == 1, timeout=15), "the e-mail never went out"
        assert wait_for(lambda: state_of(channel=Channel.EMAIL)[0] == DeliveryState.SENT, timeout=5)
        # the refused endpoint is still being retried in the background, with back-off
        assert state_of(endpoint__name="Down")[0] != DeliveryState.SENT

        gave_up = wait_for(lambda: state_of(endpoint__name="Down")[0] == DeliveryState.FAILED, timeout=45)
        assert gave_up, f"still {state_of(endpoint__name='Down')}"

    assert state_of(endpoint__name="Down") == (DeliveryState.FAILED, MAX_ATTEMPTS)
    assert state_of(endpoint__name="Bot") == (DeliveryState.SENT, 1)
    assert [payload["incident"] for payload in chat_bot.received] == [9]
    assert mail.outbox[0].subject == "An escalation reaches me"
