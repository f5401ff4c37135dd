"""/metrics: who may scrape it, and that every figure moves with what happens."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from incidents import services
from incidents.models import Timer, TimerKind
from incidents.tasks import fire_timers
from riskops.asgi import application
from riskops.celery import DEFAULT_QUEUE
from riskops.celery import app as celery_app
from tests.fixtures.live import ORIGIN, session_cookie

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def scrape(client, **headers) -> dict:
    """{(name, labels as a sorted tuple): value} of one scrape."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content[:300]
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_a_client_on_this_host_may_scrape_without_a_token(client):
    assert scrape(client)[("riskops_metrics_source_up", (("source", "database"),))] == 1


def test_a_request_through_a_proxy_needs_the_token(client):
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403 and response.json()["detail"]


def test_with_a_token_set_only_its_bearer_may_scrape(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-metrics")


def test_timer_figures_move_as_timers_fire(client, incident, declared_at):
    before = scrape(client)
    pending = before[("riskops_timers_pending", (("kind", "escalation"),))]
    assert pending > 0
    assert before[("riskops_escalations_total", (("level", "1"),))] == 0
    assert before[("riskops_timers_overdue", ())] == 0

    timer = Timer.objects.get(kind=TimerKind.ESCALATION, level=1)
    Timer.objects.filter(pk=timer.pk).update(due_at=declared_at - dt.timedelta(minutes=1))
    overdue = scrape(client)
    assert overdue[("riskops_timers_overdue", ())] == 1

    fired = services.timers_fire(
        timer_ids=[timer.pk], now=declared_at - dt.timedelta(minutes=1) + dt.timedelta(seconds=3)
    )
    assert fired == [timer.pk]
    after = scrape(client)
    assert after[("riskops_timers_pending", (("kind", "escalation"),))] == pending - 1
    assert after[("riskops_timers_overdue", ())] == 0
    assert after[("riskops_escalations_total", (("level", "1"),))] == 1
    assert after[("riskops_timer_lateness_seconds_bucket", (("le", "2.0"),))] == 0
    assert after[("riskops_timer_lateness_seconds_bucket", (("le", "5.0"),))] == 1
    assert after[("riskops_timer_lateness_seconds_count", ())] == 1
    assert after[("riskops_timer_lateness_seconds_sum", ())] == pytest.approx(3.0)


def test_queue_depth_counts_messages_waiting_in_redis(client):
    depth = ("riskops_celery_queue_depth", (("queue", DEFAULT_QUEUE),))
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(DEFAULT_QUEUE)
        assert scrape(client)[depth] == 0
        for _ in range(3):
            fire_timers.apply_async(args=[[0]], queue=DEFAULT_QUEUE)  # no such timer: harmless if run
        assert scrape(client)[depth] == 3
        connection.default_channel.queue_purge(DEFAULT_QUEUE)


def test_request_latency_is_observed_per_route_pattern(client, api, admin):
    key = (
        "riskops_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "api/v1/risks/$"), ("status", "2xx")),
    )
    before = scrape(client).get(key, 0)
    api.as_user(admin).get("/api/v1/risks/")
    api.as_user(admin).get("/api/v1/risks/?search=x")
    assert scrape(client)[key] == before + 2


@pytest.mark.django_db(transaction=True)
async def test_open_websocket_streams_are_counted(executive):
    def connections():
        return REGISTRY.get_sample_value("riskops_websocket_connections")

    before = connections()
    cookie = await database_sync_to_async(session_cookie)(executive)
    socket = WebsocketCommunicator(
        application,
        "/ws/dashboard/",
        headers=[(b"host", b"testserver"), (b"origin", ORIGIN), (b"cookie", cookie.encode())],
    )
    connected, _ = await socket.connect(timeout=5)
    assert connected
    await socket.receive_json_from(timeout=5)  # the snapshot: the stream is open
    assert connections() == before + 1
    await socket.disconnect()
    assert connections() == before


MULTIPROCESS_CHILD = """
import django
django.setup()
from django.test import Client
from core.instruments import WEBSOCKET_CONNECTIONS
Client().get("/login/")
WEBSOCKET_CONNECTIONS.inc()
"""
MULTIPROCESS_READER = """
import sys, django
django.setup()
from riskops.metrics import per_process_exposition
sys.stdout.write(per_process_exposition().decode())
"""


def test_several_processes_are_summed_in_one_scrape(tmp_path):
    """prometheus_client's multiprocess mode: what two ASGI processes observed, in one answer."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", MULTIPROCESS_CHILD], env=env, cwd=ROOT, check=True, timeout=60)
    reader = [sys.executable, "-c", MULTIPROCESS_READER]
    text = subprocess.run(reader, env=env, cwd=ROOT, check=True, timeout=60, capture_output=True, text=True)
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text.stdout)
        for sample in family.samples
    }
    login = (("method", "GET"), ("route", "login/"), ("status", "2xx"))
    assert samples[("riskops_http_request_duration_seconds_count", login)] == 2
    # Both processes have exited: their open streams no longer count.
    assert samples.get(("riskops_websocket_connections", ()), 0) == 0
