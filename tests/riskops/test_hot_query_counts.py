"""The endpoints bench/api loads hardest cost the same queries however much data is behind them.

(The register list and the war room page are pinned with their apps.)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import shared_parts
from incidents import services
from playbooks.services import playbook_create, playbook_publish
from risks import services as risks
from risks.models import Category
from tests.factories import three_tier_spec

pytestmark = pytest.mark.django_db

ACKNOWLEDGE, COMPLETE = 15, 17  # the lock, the move, its timers and repeats stopped, the timeline, the answer
# The cockpit: its live part (incidents with their tiers, risks, latest updates, late tasks and
# whose they are), and the whole page with the bell, the KRI strip, the register's shortlists and
# the quarter's trends, when its parts are rendered; and when they are kept (core/shared_parts.py):
# the session, the person, what the cockpit shows as of when (two), and the bell.
DASHBOARD = {"": 17, "live": 10}
DASHBOARD_KEPT = {"": 5, "live": 4}


def declare(cast, extra_steps: int = 0):  # noqa: F811 - the fixture's value
    officer = cast["officer"]
    playbook = playbook_publish(
        playbook=playbook_create(
            spec=three_tier_spec(cast, extra_steps_in_t1=extra_steps), created_by=officer
        ),
        by=officer,
    )
    return services.incident_declare(
        title="Plant fire",
        severity=1,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=officer,
    )


def queries(call) -> int:
    call()  # warm: the session, the token
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def get_ok(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]

    return call


@pytest.mark.parametrize("who", ["buyer", "ceo"])
def test_an_incident_with_its_tasks(api, cast, who):  # noqa: F811
    client = api.as_user(cast[who])
    small, large = declare(cast), declare(cast, 17)
    counts = [queries(get_ok(client, f"/api/v1/incidents/{incident.pk}/")) for incident in (small, large)]
    assert counts == [counts[0]] * 2
    assert counts[0] == 7  # token, incident, tasks, RACI, the linked risks' ids, role holdings, latest update


def test_a_timeline(api, cast):  # noqa: F811
    incident = declare(cast)
    client = api.as_user(cast["buyer"])
    url = f"/api/v1/incidents/{incident.pk}/timeline/?since=0"
    few = queries(get_ok(client, url))
    for number in range(10):
        services.incident_post_update(incident_id=incident.pk, by=cast["commander"], body=f"Update {number}")
    assert queries(get_ok(client, url)) == few == 3  # token, visible incident, entries


def test_acknowledging_and_completing_a_task(api, cast):  # noqa: F811
    client = api.as_user(cast["buyer"])
    counts = []
    for incident in (declare(cast, 1), declare(cast, 17)):
        first, second = incident.tasks.filter(tier__key="T1").order_by("pk")[:2]
        client.post(f"/api/v1/tasks/{first.pk}/acknowledge/")  # warm
        with CaptureQueriesContext(connection) as acknowledging:
            assert client.post(f"/api/v1/tasks/{second.pk}/acknowledge/").status_code == 200
        with CaptureQueriesContext(connection) as completing:
            response = client.post(f"/api/v1/tasks/{second.pk}/complete/", {"note": "Done."}, format="json")
            assert response.status_code == 200
        counts.append((len(acknowledging.captured_queries), len(completing.captured_queries)))
    assert counts[0] == counts[1]
    assert counts[0] == (ACKNOWLEDGE, COMPLETE)


@pytest.mark.parametrize("part", ["", "live"])
def test_the_dashboard(client, cast, part):  # noqa: F811
    client.force_login(cast["ceo"])
    url = reverse("dashboard") + (f"?part={part}" if part else "")
    kept = get_ok(client, url)

    def rendered():  # as after a change: nothing kept
        shared_parts.forget_all()
        kept()

    declare(cast)
    few = queries(kept), queries(rendered)
    for _ in range(5):
        declare(cast, 3)
    assert (queries(kept), queries(rendered)) == few == (DASHBOARD_KEPT[part], DASHBOARD[part])


def test_a_risk(api, cast, matrix):  # noqa: F811
    officer = cast["officer"]
    risk = risks.risk_create(
        by=officer,
        title="Key supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=officer,
        likelihood=3,
        impact=4,
    )
    client = api.as_user(cast["officer"])
    few = queries(get_ok(client, f"/api/v1/risks/{risk.pk}/"))
    for likelihood in (1, 2, 5):
        risk = risks.risk_rerate(risk=risk, by=officer, reason="Re-rated", likelihood=likelihood)
    assert queries(get_ok(client, f"/api/v1/risks/{risk.pk}/")) == few == 2
