"""An escalation burst is grouped: one message per person per incident per window (a minute; 4 s
here), listing what escalated, not one per notice; sent once, by a real worker on the real broker."""

import time

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import Channel, Delivery, DeliveryState
from notifications.services import Message, notify_all
from tests.notifications.test_end_to_end import wait_for
from tests.processes import worker_in_this_process

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
WINDOW = 4


def escalate(people, task: int, incident_id: int = 9) -> None:
    """One timer batch telling these people that a task of the incident escalated (its own transaction)."""
    with transaction.atomic():
        notify_all(
            [
                Message(
                    recipients=people,
                    kind="escalation",
                    title=f"Plant fire: task {task} escalated to you (level 2)",
                    body=f"Task {task} is late.",
                    incident_id=incident_id,
                    task_id=task,
                    tag="SEV1",
                )
            ]
        )


def test_a_burst_of_escalations_reaches_each_person_as_one_message_listing_them_all(
    english, chinese, settings
):
    settings.NOTIFICATION_GROUP_SECONDS = WINDOW
    while time.time() % WINDOW > 0.5:  # start at the beginning of a window, so the burst fits in one
        time.sleep(0.05)
    with worker_in_this_process():
        for task in (101, 102, 103):
            escalate([english, chinese], task)
        escalate([english], 104, incident_id=10)  # another incident: a message of its own
        assert wait_for(lambda: len(mail.outbox) == 3, timeout=WINDOW + 10), [m.subject for m in mail.outbox]
        time.sleep(WINDOW)  # nothing more comes: no duplicate
    assert len(mail.outbox) == 3
    by_incident = {(m.to[0], "task 104" in m.subject): m for m in mail.outbox}
    grouped = by_incident[("en@example.com", False)]
    assert grouped.subject == "[SEV1] Plant fire: task 101 escalated to you (level 2) (and 2 more)"
    assert grouped.body.startswith("3 notices about this incident:\n\n1. Plant fire: task 101")
    assert "3. Plant fire: task 103" in grouped.body and grouped.body.count("Acknowledge this task (") == 3
    assert by_incident[("zh@example.com", False)].body.startswith("本事件有 3 条通知：")
    assert "(and" not in by_incident[("en@example.com", True)].subject
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert emails.count() == 7 and set(emails.values_list("state", flat=True)) == {DeliveryState.SENT}
