"""JSON log lines naming the request (X-Request-ID) and the incident, in the web and Celery processes."""

import io
import json
import logging

import pytest
from pythonjsonlogger.json import JsonFormatter

from core.log_context import HEADER
from incidents.models import Incident
from tests.processes import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The JSON lines the project's console handler would write, as dicts."""
    console = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    logging.getLogger().addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


def test_the_clients_request_id_is_returned(client):
    assert client.get("/login/", HTTP_X_REQUEST_ID="edge-7f3a.1")[HEADER] == "edge-7f3a.1"


@pytest.mark.parametrize("sent", [None, "", "has spaces", "x" * 129, "<script>"])
def test_a_missing_or_unusable_request_id_is_replaced_by_one_of_ours(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    returned = client.get("/login/", **headers)[HEADER]
    assert returned != sent and len(returned) == 32 and int(returned, 16) >= 0


def test_a_call_about_an_incident_logs_json_with_request_and_incident(api, cast, incident, log_lines):
    response = api.as_user(cast["commander"]).get(
        f"/api/v1/incidents/{incident.pk}/", HTTP_X_REQUEST_ID="req-1"
    )
    assert response.status_code == 200
    [access] = [line for line in log_lines() if line["logger"] == "riskops.request"]
    assert access["request_id"] == "req-1" and access["incident_id"] == incident.pk
    assert (access["method"], access["path"], access["status"]) == (
        "GET",
        f"/api/v1/incidents/{incident.pk}/",
        200,
    )
    assert access["level"] == "INFO" and access["time"] and access["user"] == cast["commander"].pk


def test_lines_outside_an_incident_name_none(client, log_lines):
    client.get("/login/", HTTP_X_REQUEST_ID="req-2")
    [access] = [line for line in log_lines() if line["logger"] == "riskops.request"]
    assert (access["request_id"], access["incident_id"]) == ("req-2", None)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_timer_fired_by_a_worker_logs_the_declaring_request_and_the_incident(stack, api, playbook, cast):
    stack.worker("worker")
    body = {
        "title": "Drill: supplier fire",
        "severity": 2,
        "playbook": playbook.pk,
        "commander": cast["commander"].pk,
        "drill": True,
        "clock_rate": 3600,
    }
    response = api.as_user(cast["commander"]).post(
        "/api/v1/incidents/", body, format="json", HTTP_X_REQUEST_ID="declare-42"
    )
    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(pk=response.json()["id"])

    def fired_lines():
        lines = [json.loads(line) for line in stack.log("worker").splitlines() if line.startswith("{")]
        return [line for line in lines if line["logger"] == "incidents.services.firing"]

    assert wait_until(fired_lines, timeout=60), stack.log("worker")[-3000:]
    line = fired_lines()[0]
    assert (line["request_id"], line["incident_id"]) == ("declare-42", incident.pk)
    assert line["timers"] and set(line["timers"]) <= set(incident.timers.values_list("pk", flat=True))
    assert "fired" in line["message"] and "late" in line["message"]  # one line per batch
