"""The on-call API and the calendar feeds: who is on call at a time, the shifts, the ICS feed
behind its secret address (parsed with the icalendar package) agreeing with the page's shifts."""

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from audit.models import AuditEntry
from oncall import selectors
from people.models import Role, Team
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(api):
    team = Team.objects.create(slug="ops", name="Operations")
    lead, ann, bo = (person(Role.RESPONDER, name, teams=[team]) for name in ("lead", "ann", "bo"))
    team.escalation_contact = lead
    team.save()
    api.as_user(lead)
    schedule = api.post(
        "/api/v1/schedules/",
        {"team": team.pk, "name": "Primary", "time_zone": "Europe/London", "working_calendar": "weekdays"},
        format="json",
    ).json()
    layer = api.post(
        "/api/v1/schedule-layers/",
        {
            "schedule": schedule["id"],
            "name": "Daily",
            "people": [ann.pk, bo.pk],
            "start_date": "2025-03-01",
            "handoff_time": "09:00",
            "shift_unit": "days",
        },
        format="json",
    ).json()
    return {"team": team, "lead": lead, "ann": ann, "bo": bo, "schedule": schedule, "layer": layer}


def test_who_is_on_call_at_a_time_and_the_override_over_it(api, setup):
    team, ann, bo = setup["team"], setup["ann"], setup["bo"]
    answer = api.get(f"/api/v1/teams/{team.pk}/on-call/", {"at": "2025-03-30T12:00:00+01:00"}).json()
    assert (answer["person"], answer["layer"]) == (bo.pk, setup["layer"]["id"])  # day 29 of the rotation

    override = api.post(
        "/api/v1/schedule-overrides/",
        {
            "schedule": setup["schedule"]["id"],
            "person": ann.pk,
            "starts_at": "2025-03-30T11:00:00Z",
            "ends_at": "2025-03-30T13:00:00Z",
        },
        format="json",
    )
    assert override.status_code == 201
    answer = api.get(f"/api/v1/teams/{team.pk}/on-call/", {"at": "2025-03-30T12:00:00+01:00"}).json()
    assert (answer["person"], answer["override"]) == (ann.pk, override.json()["id"])
    assert AuditEntry.objects.filter(object_type="oncall.override", actor=setup["lead"]).count() == 1


def test_a_swap_is_accepted_by_the_other_person_only(api, setup):
    ann, bo = setup["ann"], setup["bo"]
    api.as_user(ann)
    swap = api.post(
        "/api/v1/schedule-swaps/",
        {
            "layer": setup["layer"]["id"],
            "partner": bo.pk,
            "requester_shift_at": "2025-03-01T12:00:00Z",
            "partner_shift_at": "2025-03-02T12:00:00Z",
        },
        format="json",
    ).json()
    assert swap["status"] == "pending"
    assert api.post(f"/api/v1/schedule-swaps/{swap['id']}/accept/").status_code == 403
    api.as_user(bo)
    assert api.post(f"/api/v1/schedule-swaps/{swap['id']}/accept/").json()["status"] == "accepted"
    refused = api.post(f"/api/v1/schedule-swaps/{swap['id']}/decline/")
    assert (refused.status_code, refused.json()["code"]) == (409, "invalid_transition")


def test_a_bad_time_is_a_field_error(api, setup):
    answer = api.get(f"/api/v1/teams/{setup['team'].pk}/on-call/", {"at": "tomorrow"})
    assert answer.status_code == 400 and "at" in answer.json()


def test_the_schedule_feed_parses_and_matches_the_shifts(api, client, setup):
    url = api.post(f"/api/v1/schedules/{setup['schedule']['id']}/feed/").json()["url"]
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")

    now = timezone.now()
    shifts = selectors.schedule_shifts(
        schedule_id=setup["schedule"]["id"],
        since=now - dt.timedelta(days=7),
        until=now + dt.timedelta(days=60),
    )
    # The first and last are cut at the feed's window, taken a moment apart from this one.
    assert len(events) == len(shifts)
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events[1:-1]] == [
        (s.starts_at, s.ends_at) for s in shifts[1:-1]
    ]
    names = {str(setup["ann"]), str(setup["bo"])}
    assert all(any(name in str(e["SUMMARY"]) for name in names) for e in events)

    # A new address: the old one is refused from then on.
    api.post(f"/api/v1/schedules/{setup['schedule']['id']}/feed/")
    assert client.get(url).status_code == 404


def test_a_persons_feed_holds_only_their_shifts(api, client, setup):
    api.as_user(setup["ann"])
    url = api.post("/api/v1/on-call-feed/").json()["url"]
    events = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert events and all(str(setup["ann"]) in str(event["SUMMARY"]) for event in events)
    assert not any(str(setup["bo"]) in str(event["SUMMARY"]) for event in events)


def test_the_schedule_page_shows_the_days_in_the_viewers_language(client, setup):
    lead = setup["lead"]
    lead.language, lead.timezone = "zh-hans", "Asia/Shanghai"
    lead.save()
    client.force_login(lead)
    page = client.get(f"/oncall/{setup['schedule']['id']}/")
    assert page.status_code == 200
    assert "轮值层 Daily" in page.content.decode()
    assert len(page.context["days"]) >= 14
    assert "值班" in client.get("/oncall/").content.decode()
