"""/readyz: this process may take traffic (migrations applied, database and Redis reachable)."""

import pytest
from django.db.migrations.recorder import MigrationRecorder

from riskops import health
from riskops.embedded_redis import free_port

pytestmark = pytest.mark.django_db


def test_ready_without_any_worker_or_beat(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "redis": "ok"},
    }


def test_not_ready_naming_redis_when_it_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("down")
    assert response.json()["checks"]["database"] == "ok"


def test_not_ready_while_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    MigrationRecorder.Migration.objects.filter(app="incidents").order_by("-name").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "migrations not applied, e.g. incidents." in response.json()["checks"]["migrations"]
    assert response["Cache-Control"].startswith("max-age=0")
