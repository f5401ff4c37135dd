"""Two deliveries of the same new alert group at the same moment open one incident: an
integration's deliveries take its row lock in turn, and an open group's key is unique.

The race needs PostgreSQL's row locks (SQLite locks the whole database)."""

import json
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from incidents.models import Incident
from integrations import receiving
from integrations.models import AlertGroup, Delivery
from tests.fixtures.integrations import example

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks: PostgreSQL"),
]
WAIT = 10  # seconds a thread may wait for the other before the test fails


def test_two_deliveries_of_a_new_group_at_once_open_one_incident(alerts_in):
    sender = alerts_in()
    start = threading.Barrier(4, timeout=WAIT)
    receipts = []

    def deliver(n: int):
        try:
            start.wait()
            receipts.append(
                receiving.delivery_receive(
                    integration_id=sender.integration.pk,
                    token=sender.token,
                    body=json.dumps(example("alertmanager")).encode(),
                    sender_id=f"race-{n}",
                    now=timezone.now(),
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert sorted(receipt.status for receipt in receipts) == [200] * 4
    incident = Incident.objects.get()
    assert {receipt.body["incident"] for receipt in receipts} == {incident.pk}
    assert incident.timeline.filter(type="alert.received").count() == 3
    assert Delivery.objects.filter(opened_incident=True).count() == 1


def test_the_database_keeps_one_open_group_per_key(alerts_in):
    sender = alerts_in()
    sender.send(example("alertmanager"))
    group = AlertGroup.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertGroup.objects.create(
            integration=group.integration,
            key=group.key,
            opened_at=group.opened_at,
            last_alert_at=group.opened_at,
        )
