"""/api/v1/integrations/: made with its token shown once, reset, its deliveries and maintenance windows."""

import pytest

from audit.models import AuditEntry
from integrations.models import Integration
from tests.fixtures.integrations import Sender, example

pytestmark = pytest.mark.django_db


def test_an_integration_is_made_reset_and_read_through_the_api(api, officer, risk):
    api.as_user(officer)
    made = api.post(
        "/api/v1/integrations/",
        {
            "name": "Grafana",
            "kind": "grafana",
            "target": "incident",
            "playbook": risk.playbook.pk,
            "commander": officer.pk,
            "risks": [risk.pk],
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    token, pk = body["token"], body["id"]
    assert body["alerts_url"] == f"/api/v1/integrations/{pk}/alerts/" and token.endswith(body["token_hint"])
    assert "token" not in api.get(f"/api/v1/integrations/{pk}/").json()
    audit = AuditEntry.objects.get(object_type="integrations.integration", action="created")
    assert audit.after["token_hash"] == "(hidden)" and audit.actor == officer

    reset = api.post(f"/api/v1/integrations/{pk}/reset-token/").json()
    integration = Integration.objects.get(pk=pk)
    assert Sender(integration, token).send(example("grafana")).status == 401
    assert Sender(integration, reset["token"]).send(example("grafana")).status == 200

    deliveries = api.get(f"/api/v1/integrations/{pk}/deliveries/").json()
    assert [d["outcome"] for d in deliveries["results"]] == ["accepted"]
    assert deliveries["results"][0]["incident"] is not None


def test_a_maintenance_window_through_the_api(api, officer, alerts_in):
    sender = alerts_in()
    api.as_user(officer)
    path = f"/api/v1/integrations/{sender.integration.pk}/maintenance-windows/"
    refused = api.post(
        path, {"starts_at": "2030-01-01T10:00:00Z", "ends_at": "2030-01-01T09:00:00Z"}, format="json"
    )
    assert refused.status_code == 400 and set(refused.json()) == {"reason"}
    refused = api.post(
        path,
        {"starts_at": "2030-01-01T10:00:00Z", "ends_at": "2030-01-01T09:00:00Z", "reason": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "ends_at" in refused.json()
    made = api.post(
        path,
        {"starts_at": "2030-01-01T10:00:00Z", "ends_at": "2030-01-01T20:00:00+08:00", "reason": "Upgrade"},
        format="json",
    )
    assert made.status_code == 201
    assert [w["reason"] for w in api.get(path).json()] == ["Upgrade"]
