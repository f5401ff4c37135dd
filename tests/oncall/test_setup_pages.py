"""Setting up on call on the pages: a team's escalation contact or an administrator creates a
schedule, adds layers and overrides; anyone else is refused; bad input is answered under its
field and changes nothing, in both languages."""

import datetime as dt

import pytest

from oncall.models import Layer, Override, Schedule
from people.models import Role, Team
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return Team.objects.create(slug="network", name="Network")


@pytest.fixture
def crew(network):
    return [person(Role.RESPONDER, name, teams=[network]) for name in ("ann", "bo", "cai")]


@pytest.fixture
def lead(network):
    """The network team's escalation contact: they run its schedules."""
    lead = person(Role.RESPONDER, "net-lead", teams=[network])
    network.escalation_contact = lead
    network.save()
    return lead


@pytest.fixture
def schedule(network):
    return Schedule.objects.create(team=network, name="Network primary", time_zone="Asia/Shanghai")


def signed_in(client, user):
    client.force_login(user)
    return client


def layer_form(crew, **changes) -> dict:
    form = {
        "name": "Weekdays",
        "priority": "2",
        "start_date": "2026-03-02",
        "handoff_time": "09:00",
        "shift_count": "1",
        "shift_unit": "days",
        "weekdays": ["0", "1", "2", "3", "4"],
        "covers_from": "",
        "covers_until": "",
        "person_1": str(crew[1].pk),
        "person_2": str(crew[0].pk),
    }
    return {**form, **changes}


def test_the_escalation_contact_creates_a_schedule_for_their_team_only(client, lead, network):
    other = Team.objects.create(slug="legal", name="Legal")
    page = signed_in(client, lead).get("/oncall/")
    assert b'id="new-schedule"' in page.content
    assert "Legal" not in page.content.decode()

    response = client.post(
        "/oncall/new/",
        {
            "team": network.pk,
            "name": "Network primary",
            "time_zone": "Asia/Shanghai",
            "working_calendar": "cn",
        },
    )
    schedule = Schedule.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/oncall/{schedule.pk}/"
    assert (schedule.team, schedule.working_calendar) == (network, "cn")

    refused = client.post("/oncall/new/", {"team": other.pk, "name": "Legal", "time_zone": "Asia/Shanghai"})
    assert refused.status_code == 400 and Schedule.objects.count() == 1
    assert b'id="id_team-errors"' in refused.content


def test_a_bad_time_zone_is_named_under_its_field_in_chinese(client, lead, network):
    lead.language = "zh-hans"
    lead.save()
    response = signed_in(client, lead).post(
        "/oncall/new/",
        {"team": network.pk, "name": "Primary", "time_zone": "Shanghai", "working_calendar": "weekdays"},
    )
    assert response.status_code == 400 and not Schedule.objects.exists()
    assert 'id="id_time_zone-errors"' in response.content.decode()
    assert "不是时区" in response.content.decode()


def test_a_layer_is_added_with_its_people_in_the_order_given(client, lead, crew, schedule):
    response = signed_in(client, lead).post(f"/oncall/{schedule.pk}/layers/", layer_form(crew))
    assert response.status_code == 302
    layer = Layer.objects.get(schedule=schedule)
    assert [m.person for m in layer.members.order_by("position")] == [crew[1], crew[0]]
    assert (layer.weekdays, layer.handoff_time, layer.priority) == ([0, 1, 2, 3, 4], dt.time(9), 2)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"person_1": "", "person_2": ""}, "person_1"),
        ({"person_2": None}, "person_1"),  # the same person twice
        ({"shift_count": "0"}, "shift_count"),
        ({"covers_from": "22:00"}, "covers_until"),
        ({"start_date": "next monday"}, "start_date"),
    ],
)
def test_a_bad_layer_is_refused_under_its_field_and_changes_nothing(
    client, lead, crew, schedule, changes, field
):
    if changes.get("person_2", "") is None:
        changes = {"person_2": str(crew[1].pk)}
    response = signed_in(client, lead).post(f"/oncall/{schedule.pk}/layers/", layer_form(crew, **changes))
    assert response.status_code == 400
    assert f'id="id_{field}-errors"'.encode() in response.content
    assert not Layer.objects.exists()


def test_an_override_is_added_in_the_viewers_time_zone(client, lead, crew, schedule):
    lead.timezone = "Asia/Shanghai"
    lead.save()
    form = {
        "person": crew[2].pk,
        "starts_at": "2026-03-03T09:00",
        "ends_at": "2026-03-03T21:00",
        "reason": "Swap day",
    }
    assert signed_in(client, lead).post(f"/oncall/{schedule.pk}/overrides/", form).status_code == 302
    override = Override.objects.get()
    assert override.person == crew[2]
    assert override.starts_at == dt.datetime(2026, 3, 3, 1, tzinfo=dt.UTC)


def test_an_override_that_ends_before_it_starts_is_refused_under_until(client, lead, crew, schedule):
    form = {"person": crew[2].pk, "starts_at": "2026-03-03T21:00", "ends_at": "2026-03-03T09:00"}
    response = signed_in(client, lead).post(f"/oncall/{schedule.pk}/overrides/", form)
    assert response.status_code == 400 and b'id="id_ends_at-errors"' in response.content
    assert not Override.objects.exists()


@pytest.mark.parametrize("role", [Role.RESPONDER, Role.RISK_OFFICER, Role.EXECUTIVE])
def test_only_the_teams_contact_and_administrators_set_up_its_schedules(
    client, crew, schedule, role, network
):
    outsider = person(role, f"someone-{role}", teams=[network])
    signed_in(client, outsider)
    assert b'id="new-schedule"' not in client.get("/oncall/").content
    page = client.get(f"/oncall/{schedule.pk}/")
    assert page.status_code == 200 and b'id="add-layer"' not in page.content
    assert client.post("/oncall/new/", {"team": network.pk, "name": "Mine"}).status_code == 403
    assert client.post(f"/oncall/{schedule.pk}/layers/", layer_form(crew)).status_code == 403
    override = {"person": crew[0].pk, "starts_at": "2026-03-03T09:00", "ends_at": "2026-03-03T21:00"}
    assert client.post(f"/oncall/{schedule.pk}/overrides/", override).status_code == 403
    assert not (Layer.objects.exists() or Override.objects.exists())
    assert Schedule.objects.count() == 1


def test_an_administrator_sets_up_any_teams_schedule(client, crew, schedule):
    admin = person(Role.ADMIN, "root")
    signed_in(client, admin)
    assert b'id="add-layer"' in client.get(f"/oncall/{schedule.pk}/").content
    assert client.post(f"/oncall/{schedule.pk}/layers/", layer_form(crew)).status_code == 302
    assert client.get("/oncall/new/").status_code == 405
