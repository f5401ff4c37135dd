"""Alerts in: Alertmanager deliveries of 100 alerts each, over HTTP, to Uvicorn serving the app.

    .venv/bin/python bench/alerts/run.py                  (SQLite in a temporary folder)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_bench_alerts .venv/bin/python bench/alerts/run.py

It builds a fresh database and a private redis-server, an integration that opens incidents from a
published playbook, and starts SERVERS Uvicorn processes. Then:

1. Throughput: CONNECTIONS keep-alive clients post GROUPS × PER_GROUP deliveries of BATCH alerts
   (each alert its own fingerprint; a group's deliveries interleaved with the others'), and every
   RETRY_EVERY-th delivery a second time with the same Idempotency-Key, as a sender retrying.
   Printed: alerts accepted per second, and whether deduplication held: one incident per group,
   each later delivery one timeline entry, each retry a duplicate that did nothing.
2. Latency: an executive's dashboard WebSocket is open; NEW_GROUPS deliveries, each for a new
   group, are posted one after the other; the time from sending each to the incident's
   `incident.declared` event reaching the socket (p50, p95).
3. The floor, measured in the same run: the same client posting the same bodies to a bare asyncio
   HTTP server that reads them and answers 200 (alerts/s, and a single delivery's round trip).

Targets (issue #20): ≥ 2,000 alerts/s accepted; p95 ≤ 200 ms for a new group. Exits 1 below them.
"""

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ.setdefault("RISKOPS_VAR_DIR", tempfile.mkdtemp(prefix="bench-alerts-"))

SERVERS = 2
CONNECTIONS = 8
GROUPS, PER_GROUP, BATCH = 20, 10, 100
RETRY_EVERY = 10
NEW_GROUPS = 40
TARGET_RATE, TARGET_P95_MS = 2000, 200


def delivery(group: str, first: int, count: int = BATCH) -> dict:
    """An Alertmanager webhook (version 4) for one group: `count` firing alerts."""
    alerts = [
        {
            "status": "firing",
            "labels": {"alertname": "ProbeFailure", "instance": f"host-{group}-{n}", "severity": "critical"},
            "annotations": {"summary": f"Probe failure on host-{group}-{n}"},
            "startsAt": "2026-11-29T13:08:45.828Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.example.org:9090/graph",
            "fingerprint": f"{group}-{n:06d}",
        }
        for n in range(first, first + count)
    ]
    return {
        "receiver": "riskops",
        "status": "firing",
        "alerts": alerts,
        "groupLabels": {"alertname": "ProbeFailure"},
        "commonLabels": {"alertname": "ProbeFailure", "severity": "critical"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example.org:9093",
        "version": "4",
        "groupKey": f'{{}}:{{service="{group}"}}',
        "truncatedAlerts": 0,
    }


class Client:
    """One keep-alive HTTP/1.1 connection posting JSON bodies."""

    def __init__(self, port: int, path: str):
        self.port, self.path = port, path

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def post(self, body: bytes, key: str = "") -> tuple[int, bytes]:
        headers = f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        if key:
            headers += f"Idempotency-Key: {key}\r\n"
        self.writer.write(f"{headers}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        return status, await self.reader.readexactly(length)

    def close(self):
        self.writer.close()


async def send_all(ports: list[int], path: str, work: list[tuple[bytes, str]]) -> tuple[float, list[int]]:
    """Posts every (body, key) over CONNECTIONS connections; returns the seconds taken and the statuses."""
    queue = list(reversed(work))
    statuses: list[int] = []

    async def connection(n: int):
        client = await Client(ports[n % len(ports)], path).open()
        while queue:
            body, key = queue.pop()
            status, _ = await client.post(body, key)
            statuses.append(status)
        client.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection(n) for n in range(CONNECTIONS)))
    return time.perf_counter() - started, statuses


async def bare_server(port: int):
    """The floor: reads each request and its body, answers 200 with a small JSON body."""
    response = (
        b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{"outcome": "floor"}'
    )

    async def handle(reader, writer):
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            await reader.readexactly(length)
            writer.write(response)
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", port)


def workload() -> tuple[list[tuple[bytes, str]], int]:
    """GROUPS × PER_GROUP deliveries, groups interleaved, every RETRY_EVERY-th sent twice."""
    work = []
    for round_ in range(PER_GROUP):
        for group in range(GROUPS):
            body = json.dumps(delivery(f"svc{group}", round_ * BATCH)).encode()
            key = f"svc{group}-{round_}"
            work.append((body, key))
            if len(work) % RETRY_EVERY == 0:
                work.append((body, key))
    return work, GROUPS * PER_GROUP


def dashboard_listener(url: str, arrivals: dict, ready: threading.Event, stop: threading.Event):
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    with connect(url, open_timeout=30) as socket:
        socket.recv(timeout=30)  # the snapshot
        ready.set()
        while not stop.is_set():
            try:
                message = json.loads(socket.recv(timeout=0.5))
            except TimeoutError:
                continue
            except ConnectionClosed:
                return
            if message["type"] == "incident.declared":
                arrivals.setdefault(message["incident"], time.time())


def main() -> int:
    from riskops.embedded_redis import EmbeddedRedis

    redis = EmbeddedRedis(Path(os.environ["RISKOPS_VAR_DIR"]) / "redis").start()
    os.environ["REDIS_URL"] = redis.url
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{Path(os.environ['RISKOPS_VAR_DIR']) / 'bench.sqlite3'}"
    )
    try:
        return bench()
    finally:
        redis.stop()


def build():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from integrations.services import integration_create
    from people.models import Role
    from people.services import user_create
    from playbooks.services import playbook_create, playbook_publish
    from tests.factories import dau_playbook_spec

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nobody logs in
    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    officer = user_create(by=None, username="officer", password="Bench-Password-1", role=Role.RISK_OFFICER)
    executive = user_create(by=None, username="ceo", password="Bench-Password-1", role=Role.EXECUTIVE)
    playbook = playbook_publish(
        playbook=playbook_create(spec=dau_playbook_spec(officer), created_by=officer), by=officer
    )
    integration, token = integration_create(
        by=officer,
        name="Bench Alertmanager",
        kind="alertmanager",
        target="incident",
        playbook=playbook,
        commander=officer,
    )
    connection.close()
    return integration, token, executive


def bench() -> int:
    from bench.asgi.run import free_port, wait_for_port
    from bench.push.run import percentile

    integration, token, executive = build()
    from incidents.models import Incident, TimelineEntry
    from integrations.models import Delivery
    from live.tickets import ticket_issue

    path = f"/api/v1/integrations/{integration.pk}/alerts/?token={token}"
    ports = [free_port() for _ in range(SERVERS)]
    log_path = Path(os.environ["RISKOPS_VAR_DIR"]) / "servers.log"
    print(
        f"{SERVERS} Uvicorn processes, {CONNECTIONS} connections, deliveries of {BATCH} alerts; "
        f"database {os.environ['DATABASE_URL'].split(':')[0]}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    with log_path.open("w") as log:
        servers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "riskops.asgi:application",
                    "--no-proxy-headers",
                    "--no-access-log",
                ]
                + ["--log-level", "warning", "--port", str(port)],
                cwd=ROOT,
                env=os.environ,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for port in ports
        ]
    try:
        for port in ports:
            wait_for_port(port)
        warm = [(json.dumps(delivery("warm", 0, 1)).encode(), f"warm-{n}") for n in range(20)]
        asyncio.run(send_all(ports, path, warm))

        work, unique = workload()
        seconds, statuses = asyncio.run(send_all(ports, path, work))
        alerts = unique * BATCH
        rate = alerts / seconds
        duplicates = Delivery.objects.filter(outcome="duplicate").count()
        incidents = Incident.objects.exclude(title__contains="host-warm").count()
        entries = TimelineEntry.objects.filter(type="alert.received").exclude(
            incident__title__contains="host-warm"
        )
        held = (
            set(statuses) == {200}
            and incidents == GROUPS
            and entries.count() == GROUPS * (PER_GROUP - 1)
            and duplicates == len(work) - unique
        )
        print(
            f"throughput: {unique} deliveries ({alerts} alerts) + {len(work) - unique} retries "
            f"in {seconds:.2f} s: "
            f"{rate:,.0f} alerts/s accepted; {incidents} incidents for {GROUPS} groups, "
            f"{entries.count()} timeline entries, {duplicates} duplicates: "
            f"deduplication {'held' if held else 'FAILED'}"
        )

        url = f"ws://127.0.0.1:{ports[0]}/ws/dashboard/?ticket={ticket_issue(user_id=executive.pk).ticket}"
        arrivals, sent = {}, {}
        ready, stop = threading.Event(), threading.Event()
        listener = threading.Thread(target=dashboard_listener, args=(url, arrivals, ready, stop), daemon=True)
        listener.start()
        ready.wait(30)

        async def new_groups():
            client = await Client(ports[1 % SERVERS], path).open()
            for n in range(NEW_GROUPS):
                body = json.dumps(delivery(f"new{n}", 0)).encode()
                started = time.time()
                status, answer = await client.post(body, f"new-{n}")
                sent[json.loads(answer)["incident"]] = started
                await asyncio.sleep(0.1)
            client.close()

        asyncio.run(new_groups())
        deadline = time.monotonic() + 10
        while len(arrivals) < NEW_GROUPS and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        listener.join(5)
        latencies = [(arrivals[pk] - at) * 1000 for pk, at in sent.items() if pk in arrivals]
        p50, p95 = statistics.median(latencies), percentile(latencies, 95)
        print(
            f"new group → incident.declared on the dashboard socket: {len(latencies)}/{NEW_GROUPS} arrived, "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    port = free_port()

    async def floor():
        server = await bare_server(port)
        seconds, _ = await send_all([port], "/", work)
        client = await Client(port, "/").open()
        trips = []
        for n in range(NEW_GROUPS):
            started = time.perf_counter()
            await client.post(json.dumps(delivery(f"new{n}", 0)).encode())
            trips.append((time.perf_counter() - started) * 1000)
        client.close()
        await asyncio.sleep(0.1)  # the handlers see their connections end
        server.close()
        return seconds, trips

    floor_seconds, trips = asyncio.run(floor())
    print(
        f"floor (bare asyncio server reading the same bodies): "
        f"{len(work) * BATCH / floor_seconds:,.0f} alerts/s; one delivery's round trip "
        f"p50 {statistics.median(trips):.1f} ms, p95 {percentile(trips, 95):.1f} ms"
    )
    met = held and rate >= TARGET_RATE and p95 <= TARGET_P95_MS and len(latencies) == NEW_GROUPS
    print(
        f"targets: ≥ {TARGET_RATE:,} alerts/s, p95 ≤ {TARGET_P95_MS} ms, deduplicated — "
        f"{'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
