"""Two lapsers at once (the expiry sweep and a red KRI, or two sweeps on two workers): the acceptance
lapses exactly once, with one cause, one audit entry and one notice per person.

The first lapser holds its transaction open until the second is seen waiting for the risk's row lock,
so the two really overlap: PostgreSQL's row locks (SQLite locks the whole database)."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections, transaction

from audit.models import AuditEntry
from notifications.models import Notification
from people.models import Role
from risks import acceptances
from risks.models import Acceptance

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks: PostgreSQL"),
]
WAIT = 10  # seconds a thread may wait for the other before the test fails
DAY = dt.timedelta(days=1)


def someone_waits_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def lapse_by_kri(risk, at):
    return acceptances.acceptances_lapse_for_kri(
        risks=[risk], kri_id=1, name="On-time rate", name_zh="准时率", value=70, unit="%", now=at
    )


@pytest.mark.parametrize("second", ["sweep", "kri"])
def test_two_lapsers_at_once_lapse_it_once(make_risk, make_user, accept, second):
    risk = make_risk()
    accepted = accept(risk, asker=risk.owner, approver=make_user(Role.EXECUTIVE, username="ceo"))
    late = accepted.expires_at + DAY
    results, errors = {}, []
    first_holds = threading.Event()

    def first():
        try:
            with transaction.atomic():
                results["first"] = acceptances.acceptances_lapse_expired(now=late)
                first_holds.set()
                for _ in range(WAIT * 20):  # until the second lapser waits for the risk's lock
                    if someone_waits_for_a_lock():
                        break
                    time.sleep(0.05)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            first_holds.set()
            connection.close()

    def then():
        try:
            assert first_holds.wait(WAIT)
            results["second"] = (
                acceptances.acceptances_lapse_expired(now=late)
                if second == "sweep"
                else lapse_by_kri(risk, late)
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=then)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    assert errors == []
    assert (results["first"], results["second"]) == (1, 0)
    acceptance = Acceptance.objects.get()
    assert (acceptance.state, acceptance.lapse_cause) == ("lapsed", "expired")
    assert AuditEntry.objects.filter(object_type="risks.acceptance", actor=None).count() == 1
    assert sorted(
        Notification.objects.filter(kind="risk.acceptance_lapsed").values_list(
            "recipient__username", flat=True
        )
    ) == ["ceo", "officer"]
