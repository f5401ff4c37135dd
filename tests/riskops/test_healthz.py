import time

import pytest

from core.heartbeat import record_beat_tick
from riskops.embedded_redis import free_port
from tests.processes import worker_in_this_process

pytestmark = [pytest.mark.django_db, pytest.mark.embedded_smoke]


def test_healthz_is_503_naming_redis_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    components = response.json()["components"]
    assert components["database"] == "ok"
    assert components["redis"].startswith("down")
    assert components["worker"].startswith("unknown")


def test_healthz_is_503_naming_the_worker_and_a_stale_beat(client):
    from core.heartbeat import BEAT_HEARTBEAT_KEY
    from riskops.health import _redis_client

    _redis_client().set(BEAT_HEARTBEAT_KEY, time.time() - 3600)
    response = client.get("/healthz")
    assert response.status_code == 503
    components = response.json()["components"]
    assert components["redis"] == "ok"
    assert components["worker"].startswith("down")
    assert components["beat"].startswith("down")


@pytest.mark.django_db(transaction=True)
def test_healthz_is_200_when_everything_answers(client):
    record_beat_tick()
    with worker_in_this_process():
        deadline = time.monotonic() + 15
        while True:
            response = client.get("/healthz")
            if response.status_code == 200 or time.monotonic() > deadline:
                break
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "components": {"database": "ok", "redis": "ok", "worker": "ok", "beat": "ok"},
    }
