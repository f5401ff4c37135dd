"""Setting up on call on the pages: a team's escalation contact or an administrator creates a
schedule, adds layers and overrides; anyone else is refused; bad input is answered under its
field and changes nothing, in both languages."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from oncall import services as oncall_services
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


@pytest.fixture
def in_place(lead, crew, schedule):
    """A layer, and an override from now for three hours."""
    layer = oncall_services.layer_create(
        by=lead,
        schedule_id=schedule.pk,
        people=[crew[0], crew[1]],
        name="Round the clock",
        start_date=dt.date(2026, 3, 2),
        handoff_time=dt.time(9),
    )
    now = timezone.now()
    override = oncall_services.override_create(
        by=lead, schedule_id=schedule.pk, person=crew[2], starts_at=now, ends_at=now + dt.timedelta(hours=3)
    )
    return layer, override


def test_the_lead_sees_what_is_in_place_and_removes_a_layer_and_an_override(client, lead, schedule, in_place):
    layer, override = in_place
    page = signed_in(client, lead).get(f"/oncall/{schedule.pk}/").content.decode()
    assert f'id="layer-{layer.pk}"' in page and f'id="override-{override.pk}"' in page
    assert client.post(f"/oncall/{schedule.pk}/overrides/{override.pk}/remove/").status_code == 302
    assert client.post(f"/oncall/{schedule.pk}/layers/{layer.pk}/remove/").status_code == 302
    assert not (Layer.objects.exists() or Override.objects.exists())
    removed = AuditEntry.objects.filter(action=AuditAction.DELETED).values_list("object_type", flat=True)
    assert sorted(removed) == ["oncall.layer", "oncall.override"]


def test_the_page_reads_what_is_in_place_in_chinese(client, lead, schedule, in_place):
    lead.language = "zh-hans"
    lead.save()
    page = (
        signed_in(client, lead)
        .get(f"/oncall/{schedule.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )
    assert "现有轮值层与临时替班" in page and "删除此轮值层" in page and "删除此临时替班" in page


@pytest.mark.parametrize("role", [Role.RESPONDER, Role.RISK_OFFICER, Role.EXECUTIVE])
def test_only_those_who_run_the_schedule_remove_from_it(client, crew, schedule, in_place, role, network):
    layer, override = in_place
    signed_in(client, person(role, f"someone-{role}", teams=[network]))
    assert b'id="in-place"' not in client.get(f"/oncall/{schedule.pk}/").content
    assert client.post(f"/oncall/{schedule.pk}/layers/{layer.pk}/remove/").status_code == 403
    assert client.post(f"/oncall/{schedule.pk}/overrides/{override.pk}/remove/").status_code == 403
    assert Layer.objects.exists() and Override.objects.exists()


def test_a_layer_of_another_schedule_is_not_found_through_this_one(client, lead, network, schedule, in_place):
    layer, override = in_place
    other = Schedule.objects.create(team=network, name="Network backup", time_zone="UTC")
    signed_in(client, lead)
    assert client.post(f"/oncall/{other.pk}/layers/{layer.pk}/remove/").status_code == 404
    assert client.post(f"/oncall/{other.pk}/overrides/{override.pk}/remove/").status_code == 404
    assert client.get(f"/oncall/{schedule.pk}/layers/{layer.pk}/remove/").status_code == 405
    assert Layer.objects.exists() and Override.objects.exists()
