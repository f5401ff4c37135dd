"""Generic JSON feeding a KRI (red acts once per breach) and a heartbeat whose missing ping is
itself a breach, recorded once per missed period by the beat task's service."""

import datetime as dt

import pytest

from incidents.models import Incident
from indicators.models import Breach, Reading
from integrations.heartbeats import heartbeats_check
from integrations.models import Delivery, Kind, Outcome
from integrations.services import maintenance_window_add
from tests.factories import NOW

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def dau(make_kri):
    return make_kri(on_red="open_incident")


def test_generic_json_feeds_a_kri_that_goes_red_and_acts_once_per_breach(kri_in, dau):
    sender = kri_in(dau, value_path="$.data.dau", time_path="$.at", key_path="$.run")

    def post(value, minutes, run):
        at = (NOW + minutes * MINUTE).isoformat()
        return sender.send({"run": run, "at": at, "data": {"dau": value}}, at=NOW + (minutes + 1) * MINUTE)

    assert post(50, 0, "r1").body["band"] == "green"
    red = post(95, 10, "r2")
    assert red.status == 200 and red.body["band"] == "red" and red.body["incident"] is not None
    assert post(97, 20, "r3").body["incident"] == red.body["incident"]  # the same breach: no second one
    assert post(96, 20, "r3").body["outcome"] == "duplicate"  # a retry of r3 (same body would be too)
    assert Incident.objects.count() == 1 and Breach.objects.get().incident_id == red.body["incident"]
    assert list(Delivery.objects.order_by("pk").values_list("opened_incident", flat=True)) == [
        False,
        True,
        False,
        False,
    ]
    assert list(Reading.objects.order_by("measured_at").values_list("value", flat=True)) == [50, 95, 97]
    incident = Incident.objects.get()
    assert incident.timeline.get(type="incident.declared").data["declared_for"]["kri"] == dau.pk


def test_generic_json_says_what_was_missing_and_a_reading_the_kri_refuses_is_rejected(kri_in, dau):
    sender = kri_in(dau, value_path="$.dau")
    missing = sender.send([{"dau": 1}, {"users": 2}])
    assert missing.status == 400 and "item 2: it has no “dau”." in missing.body["detail"]
    not_number = sender.send({"dau": "many"})
    assert not_number.status == 400 and "$.dau is not a number." in not_number.body["detail"]
    assert sender.send({"dau": 1}, at=NOW).status == 200
    older = kri_in(dau, name="Backfill", value_path="$.v", time_path="$.t").send(
        {"v": 2, "t": (NOW - dt.timedelta(days=1)).isoformat()}
    )
    assert older.status == 400 and "Readings are added in time order" in older.body["detail"]
    assert list(Delivery.objects.order_by("pk").values_list("outcome", flat=True)) == [
        Outcome.REJECTED,
        Outcome.REJECTED,
        Outcome.ACCEPTED,
        Outcome.REJECTED,
    ]


def test_an_alert_group_feeding_a_kri_records_how_many_alerts_fire(kri_in, make_kri):
    from tests.fixtures.integrations import example

    kri = make_kri(name="Alerts firing", amber=1, red=5)
    receipt = kri_in(kri, kind=Kind.GRAFANA, name="Grafana").send(example("grafana"))
    assert receipt.status == 200 and receipt.body["band"] == "amber"
    assert Reading.objects.get().value == 2


@pytest.fixture
def heartbeat(kri_in, make_kri):
    """A nightly job's heartbeat every 10 minutes: one missed ping is amber, two in a row red."""
    kri = make_kri(name="DAU job: missed pings", amber=0, red=1, on_red="open_incident")
    return kri_in(kri, kind=Kind.HEARTBEAT, name="DAU job heartbeat", ping_every=10 * MINUTE)


def test_a_heartbeat_that_stops_opens_a_breach_once(heartbeat):
    assert heartbeat.send(b"").status == 200
    assert heartbeats_check(now=NOW + 9 * MINUTE) == []
    assert heartbeats_check(now=NOW + 25 * MINUTE) == [heartbeat.integration.pk]
    assert heartbeats_check(now=NOW + 25 * MINUTE) == []  # a repeated run records nothing twice
    assert heartbeats_check(now=NOW + 35 * MINUTE) == [heartbeat.integration.pk]
    readings = list(Reading.objects.order_by("measured_at").values_list("value", "band"))
    assert readings == [(0, "green"), (2, "red"), (3, "red")]
    breach = Breach.objects.get()
    assert breach.incident is not None and Incident.objects.count() == 1
    missed = Delivery.objects.filter(outcome=Outcome.MISSED).order_by("pk")
    assert [(d.value, d.reason) for d in missed] == [
        (2, "No ping for 2 period(s) in a row."),
        (3, "No ping for 3 period(s) in a row."),
    ]

    # The job runs again: back to green; stopping again is a new breach, acted on once more.
    heartbeat.send(b"", at=NOW + 36 * MINUTE)
    breach.refresh_from_db()
    assert breach.state == "closed"
    assert heartbeats_check(now=NOW + 61 * MINUTE) == [heartbeat.integration.pk]
    assert Breach.objects.count() == 2 and Incident.objects.count() == 2


def test_a_missed_ping_in_a_maintenance_window_is_recorded_not_acted_on(heartbeat, officer):
    heartbeat.send(b"")
    maintenance_window_add(
        integration=heartbeat.integration,
        by=officer,
        starts_at=NOW,
        ends_at=NOW + dt.timedelta(hours=1),
        reason="Job moved to the new cluster",
        now=NOW,
    )
    assert heartbeats_check(now=NOW + 25 * MINUTE) == [heartbeat.integration.pk]
    assert Breach.objects.count() == 0 and Reading.objects.count() == 1
    assert Delivery.objects.filter(outcome=Outcome.HELD, value=2).exists()
