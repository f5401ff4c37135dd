"""Live push benchmark: commit → WebSocket client latency with 200 clients, both channel layers.

    .venv/bin/python bench/push/run.py                      # both layers, then the floor
    .venv/bin/python bench/push/run.py --layer pubsub --rate 5 --clients 50 --dashboard 0 --servers 2
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_bench_push .venv/bin/python bench/push/run.py

It builds a fresh test database (on PostgreSQL test_<name>, which its servers open too) and a
private redis-server, declares one incident, starts a Uvicorn process (or --servers of them)
serving riskops.asgi with the layer under test (the core layer through bench/push/core_layer.py),
and opens CLIENTS WebSockets (with tickets) on the incident's stream and DASHBOARD more on
/ws/dashboard/, from another process (bench/push/clients.py). Then it posts RATE status updates a
second for SECONDS seconds through the incidents service, each a real timeline entry published
after commit, and reports the latency from each commit to each client's receipt (p50/p95/p99),
deliveries per second and events lost (missing once nothing more arrived for 5 s: lost, not late),
and the servers' CPU per delivery and share of a core (under load, the share says how starved they
were). The floor, measured in the same run: the same number of raw Redis subscribers, each its own
connection, getting the same number of messages at the same rate from PUBLISH.

    .venv/bin/python bench/push/run.py --layer pubsub --storm 1000

A reconnect storm instead: N people (half executives, half responders; half with a session
cookie, half with a ticket) open the incident's stream at the same moment; it reports how long
until every one had its snapshot (and each one's time, p50/p95) and the servers' CPU per
subscription. The floor, measured in the same run: the same clients opening WebSockets at once on
Uvicorn serving bench/push/bare_asgi.py, which sends each a snapshot of the same size.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

APPLICATION = "riskops.asgi:application"
STEPS = 20  # tasks of the incident, as bench/api's
STORM_TARGET_SECONDS, STORM_TARGET_CPU_MS = 5, 5

LAYERS = {
    "pubsub": "riskops.settings",  # RedisPubSubChannelLayer: what the project runs
    "core": "bench.push.core_layer",  # channels_redis's default RedisChannelLayer
}


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layer", choices=[*LAYERS, "both"], default="both")
    parser.add_argument("--clients", type=int, default=200, help="on the incident's stream")
    parser.add_argument("--dashboard", type=int, default=20, help="clients on /ws/dashboard/")
    parser.add_argument("--rate", type=float, default=20, help="state changes per second")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--servers", type=int, default=1, help="Uvicorn processes sharing the clients")
    parser.add_argument(
        "--storm",
        type=int,
        default=0,
        metavar="N",
        help="instead: N people open the incident's stream at once (a reconnect storm); the floor",
    )
    return parser.parse_args()


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def report(name: str, commits: dict[int, float], received: list[list]) -> dict:
    """Latency of every (client, event) pair, in ms; lost = expected pairs that never arrived."""
    latencies, lost, duplicates, last = [], 0, 0, 0.0
    for arrivals in received:
        seen = {}
        for seq, at in arrivals:
            if seq in seen:
                duplicates += 1
            seen.setdefault(seq, at)
        for seq, committed in commits.items():
            if seq in seen:
                latencies.append((seen[seq] - committed) * 1000)
                last = max(last, seen[seq])
            else:
                lost += 1
    span = last - min(commits.values()) if latencies else 0
    figures = {
        "p50": percentile(latencies, 50) if latencies else None,
        "p95": percentile(latencies, 95) if latencies else None,
        "p99": percentile(latencies, 99) if latencies else None,
        "deliveries_per_s": len(latencies) / span if span else 0,
        "lost": lost,
        "duplicates": duplicates,
        "delivered": len(latencies),
    }
    if latencies:
        print(
            f"{name:28s} p50 {figures['p50']:7.2f} ms  p95 {figures['p95']:7.2f} ms"
            f"  p99 {figures['p99']:7.2f} ms"
            f"  {figures['deliveries_per_s']:7.0f} deliveries/s  lost {lost}  duplicates {duplicates}"
        )
    else:
        print(f"{name:28s} nothing delivered; lost {lost}")
    return figures


class Clients:
    """bench/push/clients.py in its own process (so receiving never competes with publishing for
    this process's interpreter lock)."""

    def __init__(self, order: dict):
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("clients.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.say(order)
        line = self.process.stdout.readline().strip()
        if not line.startswith("ready "):
            raise RuntimeError(f"clients did not connect: {line!r}")
        ready = json.loads(line.removeprefix("ready "))
        # How long after they began each client had its snapshot (or its subscription), s; the
        # close codes of those closed before it.
        self.subscribed, self.refused = ready["subscribed"], ready["refused"]

    def say(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def results(self, expected) -> list[list]:
        self.say({"expect": sorted(expected)})
        received = json.loads(self.process.stdout.readline())["received"]
        self.process.wait(timeout=30)
        return received


def at_rate(rate: float, seconds: float):
    """Yields i = 0, 1, … at `rate` per second, on schedule (a late step is not made up for by
    waiting less later: each has its own due time)."""
    start = time.monotonic()
    for i in range(int(rate * seconds)):
        pause = start + i / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        yield i


def layer_trial(args) -> None:
    """One layer: the whole run in a fresh database; prints its line and a JSON line for `both`."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner, setup_test_environment

    from tests.processes import test_database_url

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nobody logs in
    # A test database of its own (on PostgreSQL test_<name>, replaced if left over), which the
    # servers started below open too.
    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    os.environ["DATABASE_URL"] = test_database_url()
    try:
        run_trial(args)
    finally:
        connection.close()
        runner.teardown_databases(old)


def run_trial(args) -> None:
    from django.db import transaction

    from bench.asgi.run import wait_for_port
    from core.broadcast import broadcaster
    from incidents import services
    from live.tickets import ticket_issue
    from people.models import Role, Team
    from people.services import user_create
    from playbooks.services import playbook_create, playbook_publish
    from riskops.embedded_redis import free_port
    from tests.factories import three_tier_spec

    supply, pr = Team.objects.create(slug="supply", name="Supply"), Team.objects.create(slug="pr", name="PR")
    cast = {
        "supply": supply,
        "pr": pr,
        "buyer": user_create(
            by=None, username="buyer", password="Bench-Password-1", role=Role.RESPONDER, teams=[supply]
        ),
        "pr_lead": user_create(
            by=None, username="pr-lead", password="Bench-Password-1", role=Role.RESPONDER, teams=[pr]
        ),
    }
    officer = user_create(by=None, username="officer", password="Bench-Password-1", role=Role.RISK_OFFICER)
    executive = user_create(by=None, username="ceo", password="Bench-Password-1", role=Role.EXECUTIVE)
    spec = three_tier_spec(cast, extra_steps_in_t1=STEPS - 3)  # bench/api's incidents
    playbook = playbook_publish(playbook=playbook_create(spec=spec, created_by=officer), by=officer)
    incident = services.incident_declare(
        title="Bench: supplier fire",
        severity=1,
        playbook_id=playbook.pk,
        commander=officer,
        declared_by=officer,
    )

    ports = [free_port() for _ in range(args.servers)]
    log_path = ROOT / "var" / f"bench-push-{args.layer}-server.log"
    with log_path.open("w") as log:
        servers = [uvicorn(APPLICATION, port, log) for port in ports]
    try:
        for port in ports:
            wait_for_port(port)
        if args.storm:
            figures = storm_trial(args, incident, ports, servers, cast["supply"])
            print(f"{'':28s} errors logged: {server_errors(log_path)}")
            return print(json.dumps({"layer": args.layer, **figures}))
        paths = [f"/ws/incidents/{incident.pk}/"] * args.clients + ["/ws/dashboard/"] * args.dashboard
        urls = [
            f"ws://127.0.0.1:{ports[n % len(ports)]}{path}?ticket={ticket_issue(user_id=executive.pk).ticket}"
            for n, path in enumerate(paths)
        ]
        try:
            clients = Clients({"websockets": urls})
            if clients.refused:
                raise RuntimeError(f"closed with {Counter(clients.refused)}")
        except RuntimeError as failure:
            print(f"{args.layer} layer: {failure}; server errors: {server_errors(log_path)}")
            raise SystemExit(1) from None
        commits: dict[int, float] = {}
        cpu_before, wall_before = sum(cpu_seconds(server.pid) for server in servers), time.monotonic()
        for i in at_rate(args.rate, args.seconds):
            stamp = {}
            with transaction.atomic():
                transaction.on_commit(lambda stamp=stamp: stamp.setdefault("at", time.time()))
                entry = services.incident_post_update(incident_id=incident.pk, by=officer, body=f"Update {i}")
            commits[entry.seq] = stamp["at"]
        broadcaster.flush(timeout=30)
        figures = report(f"{args.layer} layer", commits, clients.results(commits))
        cpu = sum(cpu_seconds(server.pid) for server in servers) - cpu_before
        wall = time.monotonic() - wall_before
        print(
            f"{'':28s} ASGI servers: {cpu / max(figures['delivered'], 1) * 1e6:.0f} µs of CPU per delivery, "
            f"{cpu / wall:.0%} of a core in all; errors logged: {server_errors(log_path)}"
        )
    finally:
        for server in servers:
            stop(server)
    print(json.dumps({"layer": args.layer, **figures}))


def uvicorn(application: str, port: int, log) -> subprocess.Popen:
    """Uvicorn serving `application` on `port`, as the project starts it (riskops/serving.py)."""
    command = [sys.executable, "-m", "uvicorn", application, "--no-proxy-headers", "--no-access-log"]
    command += ["--log-level", "error", "--port", str(port)]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=log, stderr=subprocess.STDOUT)


def stop(server: subprocess.Popen) -> None:
    """Stops a server, killing it when it takes more than 30 s (closing a thousand sockets)."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def storm_trial(args, incident, ports, servers, team) -> dict:
    """args.storm people open the incident's stream at the same moment, as after a deploy: half
    executives, half responders of a team named in its tasks; half with their browser's session
    cookie, half with a ticket. Prints and returns how long until each had its snapshot."""
    from django.test import Client

    from core.realtime import encode
    from live.selectors import incident_snapshot
    from live.tickets import ticket_issue
    from people.models import Role
    from people.services import user_create

    people = [
        user_create(
            by=None,
            username=f"watcher{n}",
            password="Bench-Password-1",
            role=Role.EXECUTIVE if n % 2 else Role.RESPONDER,
            teams=[] if n % 2 else [team],
        )
        for n in range(args.storm)
    ]
    urls = [f"ws://127.0.0.1:{ports[n % len(ports)]}/ws/incidents/{incident.pk}/" for n in range(args.storm)]
    headers = [{} for _ in people]
    for n, person in enumerate(people):
        if n % 4 < 2:
            client = Client()
            client.force_login(person)
            origin = f"http://127.0.0.1:{ports[n % len(ports)]}"
            headers[n] = {"Cookie": f"sessionid={client.cookies['sessionid'].value}", "Origin": origin}
    for n, person in enumerate(people):  # last: a ticket lives 60 s
        if n % 4 >= 2:
            urls[n] += f"?ticket={ticket_issue(user_id=person.pk).ticket}"
    cpu_before = sum(cpu_seconds(server.pid) for server in servers)
    clients = Clients({"websockets": urls, "headers": headers, "at_once": True})
    cpu = sum(cpu_seconds(server.pid) for server in servers) - cpu_before
    clients.results([])
    last_seq, state = incident_snapshot(incident_id=incident.pk)
    snapshot_bytes = len(encode({"type": "snapshot", "seq": last_seq, "data": state}).encode())
    return storm_report(f"{args.layer} layer", clients, cpu, snapshot_bytes)


def storm_report(name: str, clients: Clients, cpu: float, snapshot_bytes: int) -> dict:
    subscribed = clients.subscribed
    figures = {
        "subscribed": len(subscribed),
        "all_in": max(subscribed),
        "p50": percentile(subscribed, 50),
        "p95": percentile(subscribed, 95),
        "cpu_ms": cpu * 1000 / (len(subscribed) + len(clients.refused)),
        "snapshot_bytes": snapshot_bytes,
    }
    refused = ", ".join(f"{count} closed with {code}" for code, count in Counter(clients.refused).items())
    print(
        f"{name:28s} {len(subscribed)} subscribed{f' ({refused})' if refused else ''},"
        f" all within {figures['all_in']:.2f} s (each: p50 {figures['p50']:.2f} s,"
        f" p95 {figures['p95']:.2f} s); {figures['cpu_ms']:.2f} ms of server CPU each"
    )
    return figures


def storm_floor(args, snapshot_bytes: int) -> dict:
    """The same clients opening a WebSocket at once on Uvicorn serving bench/push/bare_asgi.py,
    which sends each a snapshot of the same size: no Django, no database, no Redis."""
    from bench.asgi.run import wait_for_port
    from riskops.embedded_redis import free_port

    os.environ["BENCH_SNAPSHOT_BYTES"] = str(snapshot_bytes)
    ports = [free_port() for _ in range(args.servers)]
    with open(os.devnull, "w") as log:
        servers = [uvicorn("bench.push.bare_asgi:application", port, log) for port in ports]
    try:
        for port in ports:
            wait_for_port(port)
        urls = [f"ws://127.0.0.1:{ports[n % len(ports)]}/" for n in range(args.storm)]
        cpu_before = sum(cpu_seconds(server.pid) for server in servers)
        clients = Clients({"websockets": urls, "at_once": True})
        cpu = sum(cpu_seconds(server.pid) for server in servers) - cpu_before
        clients.results([])
    finally:
        for server in servers:
            stop(server)
    return storm_report("floor: bare ASGI app", clients, cpu, snapshot_bytes)


def floor_trial(args, redis_url: str) -> dict:
    """Raw PUBLISH → SUBSCRIBE to as many subscribers, same count and rate."""
    import redis

    client = redis.Redis.from_url(redis_url)
    clients = Clients(
        {"redis": redis_url, "channel": "bench-floor", "subscribers": args.clients + args.dashboard}
    )
    commits = {}
    for i in at_rate(args.rate, args.seconds):
        commits[i + 1] = time.time()
        client.publish("bench-floor", json.dumps({"seq": i + 1, "text": "x" * 200}))
    return report("floor: Redis PUBLISH", commits, clients.results(commits))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_errors(log_path: Path) -> str:
    """The exceptions the ASGI server logged, by kind (e.g. redis's MaxConnectionsError)."""
    kinds = Counter(
        line.split(":")[0].rsplit(".", 1)[-1]
        for line in log_path.read_text(errors="replace").splitlines()
        if line and not line[0].isspace() and line.split(":")[0].endswith(("Error", "Exception"))
    )
    return ", ".join(f"{kind} ×{count}" for kind, count in kinds.most_common()) or "none"


def main():
    args = options()
    from riskops.embedded_redis import EmbeddedRedis

    if os.environ.get("BENCH_PUSH_TRIAL"):  # a child started below, for one layer
        return layer_trial(args)

    if args.storm:
        what = f"{args.storm} people opening one incident's stream at once"
    else:
        what = (
            f"{args.clients} clients on one incident's stream + {args.dashboard} on the dashboard; "
            f"{args.rate:g} state changes/s for {args.seconds:g} s"
        )
    print(
        f"{what}; Uvicorn processes: {args.servers}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    results = {}
    for layer in LAYERS if args.layer == "both" else [args.layer]:
        redis_server = EmbeddedRedis(ROOT / "var" / f"bench-push-redis-{layer}").start()
        env = {
            **os.environ,
            "BENCH_PUSH_TRIAL": "1",
            "DJANGO_SETTINGS_MODULE": LAYERS[layer],
            "REDIS_URL": redis_server.url,
        }
        argv = [
            sys.argv[0],
            "--layer",
            layer,
            *map(str, ["--clients", args.clients, "--dashboard", args.dashboard]),
        ]
        argv += ["--rate", str(args.rate), "--seconds", str(args.seconds), "--servers", str(args.servers)]
        argv += ["--storm", str(args.storm)]
        try:
            trial = subprocess.run(
                [sys.executable, *argv], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
            )
            lines = trial.stdout.strip().splitlines()
            succeeded = trial.returncode == 0 and lines
            for line in lines[:-1] if succeeded else lines:
                print(line)
            results[layer] = json.loads(lines[-1]) if succeeded else None
        finally:
            redis_server.stop()

    if args.storm:
        figures = next((figures for figures in results.values() if figures), None)
        floor = storm_floor(args, figures["snapshot_bytes"] if figures else 5000)
        for layer, figures in results.items():
            if figures:
                print(
                    f"{layer} layer / floor: all within ×{figures['all_in'] / floor['all_in']:.1f}, "
                    f"server CPU ×{figures['cpu_ms'] / floor['cpu_ms']:.1f}"
                    f"   target: all within {STORM_TARGET_SECONDS} s, ≤ {STORM_TARGET_CPU_MS} ms each"
                )
        return
    redis_server = EmbeddedRedis(ROOT / "var" / "bench-push-redis-floor").start()
    try:
        floor = floor_trial(args, redis_server.url)
    finally:
        redis_server.stop()
    for layer, figures in results.items():
        if figures and figures["p99"] is not None:
            print(
                f"{layer} layer / floor: p50 ×{figures['p50'] / floor['p50']:.1f}, "
                f"p99 ×{figures['p99'] / floor['p99']:.1f}"
            )


if __name__ == "__main__":
    main()
