"""Alertmanager and Grafana alerts opening incidents: grouping, deduplication, retries, resolved
notices, maintenance windows and bad input, with the senders' documented example payloads."""

import datetime as dt

import pytest

from incidents import services as incidents
from incidents.models import Incident, IncidentStatus, TaskState
from integrations.models import AlertGroup, Delivery, Kind, Outcome
from integrations.receiving import MAX_BODY_BYTES
from integrations.services import maintenance_window_add
from tests.factories import NOW
from tests.fixtures.integrations import example, resolved

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def types(incident) -> list[str]:
    return list(incident.timeline.order_by("seq").values_list("type", flat=True))


def test_a_firing_group_opens_one_incident_from_the_playbook(alerts_in, risk, officer):
    sender = alerts_in()
    receipt = sender.send(example("alertmanager"))
    assert receipt.status == 200 and receipt.body["outcome"] == "accepted"
    incident = Incident.objects.get(pk=receipt.body["incident"])
    assert incident.playbook.lineage == risk.playbook.lineage and incident.commander == officer
    assert list(incident.risks.all()) == [risk] and incident.severity == 2
    assert (
        incident.title
        == "Production Alertmanager: ProbeFailure — BlackBox Probe Failure: https://server.example.org"
    )
    declared = incident.timeline.get(type="incident.declared")
    assert declared.actor is None
    assert declared.data["declared_for"] == {
        "integration": sender.integration.pk,
        "name": "Production Alertmanager",
        "alert": "ProbeFailure — BlackBox Probe Failure: https://server.example.org",
        "firing": 1,
        "group": '{}/{severity="critical"}:{alertname="ProbeFailure"}',
    }
    delivery = Delivery.objects.get()
    assert (
        delivery.outcome,
        delivery.alerts,
        delivery.firing,
        delivery.incident,
        delivery.opened_incident,
    ) == (
        Outcome.ACCEPTED,
        1,
        1,
        incident,
        True,
    )


def test_a_repeat_adds_to_the_open_incident_timeline_and_a_resolved_notice_is_recorded(alerts_in):
    sender = alerts_in(alert_task_title="Find the cause of the swing")
    incident = Incident.objects.get(pk=sender.send(example("alertmanager"), key="n1").body["incident"])
    repeat = sender.send(example("alertmanager"), key="n2", at=NOW + 5 * MINUTE)
    assert repeat.body == {
        "delivery": repeat.body["delivery"],
        "outcome": "accepted",
        "incident": incident.pk,
    }
    entry = incident.timeline.get(type="alert.received")
    assert entry.data == {
        "integration": sender.integration.pk,
        "name": "Production Alertmanager",
        "firing": 1,
        "resolved": 0,
        "new": [],
        "new_count": 0,
    }

    notice = sender.send(resolved(example("alertmanager")), at=NOW + 10 * MINUTE)
    assert notice.status == 200 and notice.body["incident"] == incident.pk
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE  # never resolved by an alert
    assert types(incident)[-3:] == ["alert.received", "alert.resolved", "task.completed"]
    task = incident.tasks.get(title="Find the cause of the swing")
    assert task.state == TaskState.DONE and task.finished_by is None
    assert Incident.objects.count() == 1


def test_a_storm_of_a_thousand_alerts_in_one_group_opens_one_incident(alerts_in):
    sender = alerts_in()
    base = example("alertmanager")
    for delivery in range(10):
        payload = {**base, "alerts": []}
        for n in range(100):
            alert = {**base["alerts"][0], "fingerprint": f"{delivery:02d}{n:02d}"}
            alert["labels"] = {**alert["labels"], "instance": f"host-{delivery}-{n}"}
            payload["alerts"].append(alert)
        assert sender.send(payload, at=NOW + delivery * 5 * dt.timedelta(seconds=1)).status == 200
    incident = Incident.objects.get()
    assert types(incident).count("alert.received") == 9
    assert incident.timeline.filter(type="alert.received").last().data["new_count"] == 100
    assert len(AlertGroup.objects.get().firing) == 1000


def test_other_groups_open_their_own_incidents_and_a_label_can_group_them(alerts_in):
    sender = alerts_in(group_by="team", name="Grafana")
    payload = example("grafana")
    payload["alerts"][1]["labels"]["team"] = "red"
    receipt = sender.send(payload)
    assert receipt.status == 200 and Incident.objects.count() == 2
    assert set(AlertGroup.objects.values_list("key", flat=True)) == {"blue", "red"}


def test_grafana_example_opens_one_incident_with_both_alerts(alerts_in):
    sender = alerts_in(kind=Kind.GRAFANA, name="Grafana")
    receipt = sender.send(example("grafana"))
    incident = Incident.objects.get(pk=receipt.body["incident"])
    assert incident.title == "Grafana: High memory usage — This alert was triggered for zone us-1"
    assert incident.timeline.get(type="incident.declared").data["declared_for"]["firing"] == 2


def test_once_its_incident_is_resolved_the_group_opens_a_new_one(alerts_in, officer):
    sender = alerts_in()
    first = sender.send(example("alertmanager"), key="a").body["incident"]
    incidents.incident_resolve(incident_id=first, by=officer, now=NOW + MINUTE)
    second = sender.send(example("alertmanager"), key="b", at=NOW + 2 * MINUTE).body["incident"]
    assert second != first and Incident.objects.count() == 2
    assert AlertGroup.objects.filter(state="open").get().incident_id == second


def test_a_resolved_notice_with_nothing_open_is_only_recorded(alerts_in):
    sender = alerts_in()
    receipt = sender.send(resolved(example("alertmanager")))
    assert receipt.status == 200 and receipt.body["incident"] is None
    assert Incident.objects.count() == 0
    assert Delivery.objects.get().resolved == 1


def test_a_retry_of_the_same_delivery_does_nothing_twice(alerts_in):
    sender = alerts_in()
    body = example("alertmanager")
    first = sender.send(body)
    retry = sender.send(body, at=NOW + 30 * dt.timedelta(seconds=1))
    assert retry.status == 200 and retry.body["outcome"] == "duplicate"
    assert retry.body["incident"] == first.body["incident"]
    keyed = sender.send(body, key="delivery-7", at=NOW + MINUTE)
    again = sender.send(body, key="delivery-7", at=NOW + 3 * dt.timedelta(hours=1))
    assert keyed.body["outcome"] == "accepted" and again.body["outcome"] == "duplicate"
    incident = Incident.objects.get()
    assert types(incident).count("alert.received") == 1  # only the keyed delivery added to it
    assert list(Delivery.objects.order_by("received_at").values_list("outcome", flat=True)) == [
        "accepted",
        "duplicate",
        "accepted",
        "duplicate",
    ]


def test_the_same_body_later_than_a_retry_would_come_is_news(alerts_in):
    sender = alerts_in()
    sender.send(example("alertmanager"))
    later = sender.send(example("alertmanager"), at=NOW + 4 * dt.timedelta(hours=1))
    assert later.body["outcome"] == "accepted"
    assert types(Incident.objects.get()).count("alert.received") == 1


def test_a_maintenance_window_holds_alerts_back(alerts_in, officer):
    sender = alerts_in()
    maintenance_window_add(
        integration=sender.integration,
        by=officer,
        starts_at=NOW - MINUTE,
        ends_at=NOW + 30 * MINUTE,
        reason="Database upgrade",
        now=NOW,
    )
    held = sender.send(example("alertmanager"))
    assert held.status == 202 and (held.body["outcome"], held.body["incident"]) == ("held", None)
    assert Incident.objects.count() == 0
    assert Delivery.objects.get().reason == "Maintenance window: Database upgrade"
    after = sender.send(example("alertmanager"), key="after", at=NOW + 31 * MINUTE)
    assert after.body["outcome"] == "accepted" and Incident.objects.count() == 1


def test_a_wrong_token_is_refused_and_only_counted(alerts_in):
    sender = alerts_in()
    receipt = sender.send(example("alertmanager"), token="not-the-token")
    assert receipt.status == 401
    assert sender.send(example("alertmanager"), token="").status == 401
    sender.integration.refresh_from_db()
    assert sender.integration.refused_count == 2
    assert Delivery.objects.count() == 0 and Incident.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "The body is not JSON"),
        (b'{"alerts": [], "groupKey": "x"}', "“alerts” must be a list of at least one alert."),
        (
            b'{"groupKey": "x", "alerts": [{"status": "burning", "labels": {"a": "b"}}]}',
            "alert 1: “status” must be firing or resolved.",
        ),
        (b'{"alerts": [{"status": "firing", "labels": {}}]}', "“groupKey” must be text."),
    ],
)
def test_a_malformed_payload_is_refused_with_what_was_wrong_and_logged(alerts_in, body, reason):
    sender = alerts_in()
    receipt = sender.send(body)
    assert receipt.status == 400 and reason in receipt.body["detail"]
    delivery = Delivery.objects.get()
    assert delivery.outcome == Outcome.REJECTED and delivery.http_status == 400 and reason in delivery.reason
    assert Incident.objects.count() == 0


def test_an_oversized_body_is_refused_and_logged(alerts_in):
    sender = alerts_in()
    receipt = sender.send(b" " * (MAX_BODY_BYTES + 1))
    assert receipt.status == 413
    assert Delivery.objects.get().http_status == 413


def test_an_integration_that_opens_incidents_needs_a_published_playbook_and_a_commander(officer):
    from django.core.exceptions import ValidationError

    from integrations import services

    with pytest.raises(ValidationError) as refused:
        services.integration_create(by=officer, name=" ", kind=Kind.ALERTMANAGER, target="incident")
    assert set(refused.value.message_dict) == {"name", "playbook", "commander"}
    with pytest.raises(ValidationError) as refused:
        services.integration_create(by=officer, name="Job", kind=Kind.HEARTBEAT, target="incident")
    assert {"target", "ping_every"} <= set(refused.value.message_dict)


def test_alerts_that_can_no_longer_open_an_incident_are_refused_and_logged(alerts_in, officer):
    sender = alerts_in()
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    receipt = sender.send(example("alertmanager"))
    assert receipt.status == 409 and "the commander is no longer active" in receipt.body["detail"]
    assert Incident.objects.count() == 0 and AlertGroup.objects.count() == 0
    assert Delivery.objects.get().outcome == Outcome.REJECTED
