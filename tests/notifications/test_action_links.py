"""Acknowledge from the message itself: each e-mail carries the person's signed, single-use, expiring
links; they act once, as that person, and are refused when used twice, after expiry, by someone
else, forged, or after the task moved on. Nothing is written when refused."""

import re

import pytest
from django.core import mail
from django.db.models import Value
from django.db.models.functions import Concat

from incidents import services as incidents
from incidents.models import Task, TaskState
from notifications.models import Channel
from people.models import User
from tests.factories import H, fire_due, send_deliveries

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(cast, incident, declared_at):
    """The plant fire's first task overdue: its Responsible (the supply team) are e-mailed."""
    User.objects.update(email=Concat("username", Value("@example.com")))
    fire_due(declared_at + 2 * H)
    send_deliveries(channel=Channel.EMAIL, notification__kind="task.overdue")
    return {message.to[0].split("@")[0]: message for message in mail.outbox}


def tokens(message) -> dict[str, str]:
    found = dict(
        re.findall(r"^(Acknowledge this task|Open the war room): \S+/links/([^/\s]+)/$", message.body, re.M)
    )
    return {"acknowledge": found["Acknowledge this task"], "open": found["Open the war room"]}


def use(api, token, as_user=None):
    client = api.as_user(as_user) if as_user else api
    return client.post(f"/api/v1/links/{token}/")


def task_one(incident) -> Task:
    return incident.tasks.get(title="Switch to the backup-supplier pool")


def test_an_acknowledge_link_works_once_as_its_person_and_is_refused_the_second_time(
    api, cast, incident, mailed
):
    token = tokens(mailed["buyer"])["acknowledge"]
    used = use(api, token)
    assert used.status_code == 200, used.json()
    assert used.json() == {"action": "acknowledge", "incident": incident.pk, "task": task_one(incident).pk}
    task = task_one(incident)
    assert task.state == TaskState.ACKNOWLEDGED and task.acknowledged_by == cast["buyer"]
    entries = incident.timeline.count()

    again = use(api, token)
    assert again.status_code == 409 and again.json()["code"] == "link_refused"
    assert "already been used" in again.json()["detail"]
    assert incident.timeline.count() == entries


def test_a_link_is_refused_after_it_expires(api, incident, mailed, settings):
    token = tokens(mailed["buyer"])["acknowledge"]
    from notifications.models import ActionLink

    ActionLink.objects.update(expires_at=incident.declared_at)
    refused = use(api, token)
    assert refused.status_code == 409 and "expired" in refused.json()["detail"]
    assert task_one(incident).state == TaskState.OPEN


def test_someone_elses_link_is_refused_and_stays_usable_by_its_person(api, cast, incident, mailed):
    token = tokens(mailed["buyer"])["acknowledge"]
    refused = use(api, token, as_user=cast["logistics"])
    assert refused.status_code == 409 and "someone else" in refused.json()["detail"]
    assert task_one(incident).state == TaskState.OPEN
    assert use(api.as_user(cast["buyer"]), token).status_code == 200


def test_a_link_is_refused_once_the_task_moved_on(api, cast, incident, mailed):
    token = tokens(mailed["buyer"])["acknowledge"]
    incidents.task_complete(task_id=task_one(incident).pk, by=cast["logistics"])
    refused = use(api, token)
    assert refused.status_code == 409 and "moved on" in refused.json()["detail"]


def test_a_forged_or_altered_token_is_refused(api, mailed):
    token = tokens(mailed["buyer"])["acknowledge"]
    assert use(api, token[:-2] + "xx").status_code == 409
    assert use(api, "1:forged:token").status_code == 409


def test_the_page_asks_first_then_acknowledges_signs_in_and_opens_the_war_room(
    client, cast, incident, mailed
):
    token = tokens(mailed["logistics"])["acknowledge"]
    page = client.get(f"/links/{token}/")
    assert (
        page.status_code == 200
        and "Acknowledge “Switch to the backup-supplier pool” as logistics" in page.content.decode()
    )
    assert task_one(incident).state == TaskState.OPEN  # opening the link (a mail scanner) acts on nothing
    acted = client.post(f"/links/{token}/")
    assert acted.status_code == 302 and acted["Location"] == f"/incidents/{incident.pk}/"
    assert task_one(incident).acknowledged_by == cast["logistics"]
    assert client.get(f"/incidents/{incident.pk}/").status_code == 200  # signed in as logistics
    again = client.get(f"/links/{token}/")
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_the_open_link_signs_its_person_in_once(client, incident, mailed):
    token = tokens(mailed["buyer"])["open"]
    assert client.post(f"/links/{token}/")["Location"] == f"/incidents/{incident.pk}/"
    client.logout()
    assert client.post(f"/links/{token}/").status_code == 410
