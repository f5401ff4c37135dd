"""The status page: anyone who may see an incident reads its published updates, state, tier, impact
and elapsed time there, never its task board; follows it from there; and the subscriptions API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents import services
from notifications.models import Subscription
from tests.factories import H, plant_fire

pytestmark = pytest.mark.django_db


@pytest.fixture
def updated(cast, playbook, declared_at):
    """The SEV1 incident with two updates, and a drill."""
    incident = plant_fire(cast, playbook, declared_at)
    for hours, text, impact in ((1, "Plant B is on fire.", "Line 3 stopped"), (2, "Fire out.", "")):
        services.incident_post_update(
            incident_id=incident.pk,
            by=cast["commander"],
            what_happened=text,
            impact=impact,
            now=declared_at + hours * H,
        )
    drill = plant_fire(cast, playbook, declared_at, drill=True)
    return incident, drill


def test_someone_with_no_role_reads_the_updates_newest_first_and_no_task_board(client, cast, updated):
    incident, _drill = updated
    client.force_login(cast["officer"])  # sees every incident, named nowhere in this one
    page = client.get(f"/status/{incident.pk}/").content.decode()
    assert page.index("Fire out.") < page.index("Plant B is on fire.")
    assert "Line 3 stopped" in page and "commander" in page  # the impact stated, who posted
    assert "SEV1" in page and "T1" in page and "Elapsed" in page
    assert "Switch to the backup-supplier pool" not in page  # no task
    assert "war-room-board" not in page and "Post a status update" not in page


def test_a_person_who_may_not_see_the_incident_gets_a_404_and_cannot_follow_it(client, cast, updated):
    incident, _drill = updated
    client.force_login(cast["outsider"])
    assert client.get(f"/status/{incident.pk}/").status_code == 404
    assert client.get(f"/status/{incident.pk}/summary/").status_code == 404
    assert client.post(f"/status/{incident.pk}/follow/", {"email": "1"}).status_code == 404
    assert not Subscription.objects.exists()
    assert "Main supplier plant fire" not in client.get("/status/").content.decode()


def test_the_list_puts_real_incidents_first_and_drills_apart(client, cast, updated):
    incident, drill = updated
    client.force_login(cast["ceo"])
    page = client.get("/status/").content.decode()
    real_at, drills_at = page.index(f"/status/{incident.pk}/"), page.index(f"/status/{drill.pk}/")
    assert real_at < page.index("<h2>Drills</h2>") < drills_at
    assert "Fire out." in page  # the latest update


def test_follow_and_stop_following_from_the_status_page(client, cast, updated):
    incident, drill = updated
    client.force_login(cast["ceo"])
    response = client.post(f"/status/{incident.pk}/follow/", {"email": "1"})
    assert response.status_code == 302 and response["Location"] == f"/status/{incident.pk}/"
    subscription = Subscription.objects.get(user=cast["ceo"])
    assert (subscription.incident_id, subscription.email, subscription.chat) == (incident.pk, True, False)
    assert not subscription.drills
    assert "You follow this incident" in client.get(f"/status/{incident.pk}/").content.decode()
    client.post(f"/status/{drill.pk}/follow/", {"from": "war-room"})
    assert Subscription.objects.get(incident_id=drill.pk).drills  # following a drill by name asks for it
    client.post(f"/status/{incident.pk}/follow/", {"stop": "1"})
    assert not Subscription.objects.filter(incident_id=incident.pk).exists()


def test_the_war_room_header_offers_to_follow(client, cast, updated):
    incident, _drill = updated
    client.force_login(cast["commander"])
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f'action="/status/{incident.pk}/follow/"' in page


def test_the_preferences_page_follows_a_severity_with_its_channels(client, cast):
    client.force_login(cast["ceo"])
    client.post("/notifications/subscriptions/", {"target": "1", "email": "1", "drills": "1"})
    subscription = Subscription.objects.get(user=cast["ceo"])
    assert (subscription.scope, subscription.severity, subscription.email, subscription.drills) == (
        "severity",
        1,
        True,
        True,
    )
    page = client.get("/notifications/").content.decode()
    assert "Every SEV1 incident" in page and "drills included" in page
    client.post(f"/notifications/subscriptions/{subscription.pk}/stop/")
    assert not Subscription.objects.exists()


def test_the_chinese_status_page_reads_in_chinese(client, cast, updated):
    incident, _drill = updated
    cast["officer"].language = "zh-hans"
    cast["officer"].save(update_fields=["language"])
    client.force_login(cast["officer"])
    page = client.get(f"/status/{incident.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "状态通报" in page and ">关注<" in page and "已用时间" in page and "Status updates" not in page


def test_the_api_lists_creates_and_deletes_only_ones_own(api, cast, updated):
    incident, _drill = updated
    api.as_user(cast["ceo"])
    created = api.post(
        "/api/v1/subscriptions/", {"follows": "incident", "incident": incident.pk}, format="json"
    )
    assert created.status_code == 201
    assert created.json() == {
        "id": created.json()["id"],
        "follows": "incident",
        "incident": incident.pk,
        "severity": None,
        "email": True,
        "chat": False,
        "drills": False,
    }
    sev1 = api.post(
        "/api/v1/subscriptions/", {"follows": "severity", "severity": 1, "drills": True}, format="json"
    )
    assert sev1.status_code == 201 and sev1.json()["drills"] is True
    assert [row["follows"] for row in api.get("/api/v1/subscriptions/").json()] == ["incident", "severity"]

    api.as_user(cast["officer"])
    assert api.get("/api/v1/subscriptions/").json() == []
    assert api.delete(f"/api/v1/subscriptions/{sev1.json()['id']}/").status_code == 404
    api.as_user(cast["ceo"])
    assert api.delete(f"/api/v1/subscriptions/{sev1.json()['id']}/").status_code == 204


@pytest.mark.parametrize(
    "body, field",
    [
        ({"follows": "severity"}, "severity"),
        ({"follows": "severity", "severity": 5}, "severity"),
        ({"follows": "everything", "incident": 1}, "incident"),
        ({"follows": "incident"}, "incident"),
        ({"follows": "team"}, "follows"),
    ],
)
def test_the_api_says_which_field_is_wrong_and_writes_nothing(api, cast, body, field):
    response = api.as_user(cast["ceo"]).post("/api/v1/subscriptions/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Subscription.objects.exists()


def test_the_api_refuses_an_incident_one_may_not_see_as_one_that_does_not_exist(api, cast, updated):
    incident, _drill = updated
    api.as_user(cast["outsider"])
    hidden = api.post(
        "/api/v1/subscriptions/", {"follows": "incident", "incident": incident.pk}, format="json"
    )
    missing = api.post("/api/v1/subscriptions/", {"follows": "incident", "incident": 999999}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
    assert not Subscription.objects.exists()


def test_the_list_costs_the_same_queries_for_one_or_many_incidents(client, cast, playbook, updated):
    client.force_login(cast["ceo"])
    client.get("/status/")  # warm the session
    counts = []
    for more in (0, 4):
        for number in range(more):
            incident = plant_fire(cast, playbook, updated[0].declared_at)
            services.incident_post_update(
                incident_id=incident.pk, by=cast["commander"], body=f"Update {number}"
            )
        with CaptureQueriesContext(connection) as queries:
            client.get("/status/")
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
