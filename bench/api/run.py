"""API load benchmark: 50 concurrent clients on a realistic mix against Uvicorn processes; the floor.

    .venv/bin/python bench/api/run.py                        # SQLite (a test database of its own)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_bench_api .venv/bin/python bench/api/run.py
    .venv/bin/python bench/api/run.py --servers 4 --clients 50 --seconds 60
    .venv/bin/python bench/api/run.py --keep var/bench-api.json   # the data built once, reused next time

It builds a fresh database (on PostgreSQL: test_<name>, replaced if left over): 10,000 risks
(the register's import), 1,000 incidents declared from a 20-step playbook (20 tasks each, 60 still
live, the rest resolved), and a private redis-server; then starts --servers Uvicorn processes
and runs --clients keep-alive clients, each a person doing their job without pause for --seconds:

- executives: the dashboard page, then its live part three times (as its script asks for it);
- risk officers: a page of the register (an offset, a filter or a search), then a risk;
- responders: a live incident's war room (the incident with its tasks, its timeline, the page),
  then an action on one of its tasks (acknowledge, later complete, with their token).

Each person pauses between requests (exponentially, --think seconds on average, as someone
reading a page does); --think 0 makes every client ask again at once, which measures capacity.

It prints per-endpoint and overall p50/p95/p99, errors (any answer but the expected one) and
requests per second, the servers' CPU per request, and the floor measured in the same run: the
same clients asking for the smallest authenticated API answer (the risk categories: token, one
query). Its first line names the interpreter's floor too (`python -m timeit "sum(range(10000))"`),
which tells a faster machine from faster code. Exits 1 on any error.
"""

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
import timeit
from collections import defaultdict, deque
from contextlib import contextmanager
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ.setdefault("RISKOPS_VAR_DIR", tempfile.mkdtemp(prefix="bench-api-"))

RISKS = 10_000
INCIDENTS, LIVE_INCIDENTS, STEPS = 1_000, 60, 20
TARGET_P95_MS = 100


def options(doc: str = __doc__, parse: bool = True):
    """The options of a bench that runs people against Uvicorn processes (this one's, bench/pages'),
    parsed, or the parser for the bench to add its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    # Two per core, as a deployment runs them (README, "Scaling out"): a process's page threads
    # share one interpreter, so with one per core a request queues while a core idles.
    parser.add_argument("--servers", type=int, default=4, help="Uvicorn processes")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60, help="measured, after the warm-up")
    parser.add_argument("--warm-up", type=float, default=5, help="s of load before measuring")
    parser.add_argument("--floor-seconds", type=float, default=15)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause of a person between requests, s (0: none)"
    )
    parser.add_argument(
        "--keep",
        metavar="FILE",
        help="keep the database and the people's sessions (in FILE) for the next run, which reuses them",
    )
    return parser.parse_args() if parse else parser


class Connection:
    """One keep-alive HTTP/1.1 connection (the cheapest client there is, so the servers get the CPU)."""

    # Uvicorn closes a connection idle for 5 s; a browser opens a new one rather than race that.
    IDLE_SECONDS = 4

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None
        self.used_at = 0.0

    async def request(self, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is not None and time.monotonic() - self.used_at > self.IDLE_SECONDS:
            self.writer.close()
            self.writer = None
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        fields = dict(line.lower().split(": ", 1) for line in head[1:] if ": " in line)
        if "content-length" in fields:
            content = await self.reader.readexactly(int(fields["content-length"]))
        else:  # chunked
            content = b""
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                content += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readuntil(b"\r\n")
        self.used_at = time.monotonic()
        if fields.get("connection") == "close":
            self.writer.close()
            self.reader = self.writer = None
        return status, content


class Recorder:
    """Latencies (ms) and errors per endpoint, kept only while `measuring`."""

    def __init__(self, think: float):
        self.think, self.pause = think, random.Random(50)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.measuring = False

    async def call(self, connection, endpoint, method, path, headers, body=b"", expect=200):
        start = time.perf_counter()
        try:
            status, content = await connection.request(method, path, headers, body)
            failure = None if status == expect else f"{status} {path} {content[:200]!r}"
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            connection.writer = None
            status, content, failure = None, b"", f"{type(error).__name__} {path}"
        if self.measuring:
            self.latencies[endpoint].append((time.perf_counter() - start) * 1000)
            if failure:
                self.errors[endpoint].append(failure)
        if self.think:
            await asyncio.sleep(self.pause.expovariate(1 / self.think))
        return status, content


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def line(name: str, samples: list[float], errors: int, seconds: float) -> str:
    return (
        f"  {name:32s} {len(samples):7d} {len(samples) / seconds:7.1f}/s"
        f"  p50 {percentile(samples, 50):7.1f}  p95 {percentile(samples, 95):7.1f}"
        f"  p99 {percentile(samples, 99):7.1f}  errors {errors}"
    )


def build(args):
    """The data, the people with their tokens and sessions; returns what the clients need."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from bench.register.register_file import register_csv
    from incidents import services
    from people.models import Role, Team
    from people.services import user_create
    from playbooks.services import playbook_create, playbook_publish
    from risks.importing import import_register
    from risks.models import Risk
    from tests.factories import three_tier_spec

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nobody logs in
    started = time.monotonic()

    def person(username, role, teams=()):
        return user_create(
            by=None, username=username, password="Bench-Password-1", role=role, teams=list(teams)
        )

    supply, pr = Team.objects.create(slug="supply", name="Supply"), Team.objects.create(slug="pr", name="PR")
    cast = {
        "supply": supply,
        "pr": pr,
        "buyer": person("buyer", Role.RESPONDER, [supply]),
        "pr_lead": person("pr-lead", Role.RESPONDER, [pr]),
    }
    officers = [person(f"officer{n}", Role.RISK_OFFICER) for n in range(args.clients)]
    executives = [person(f"executive{n}", Role.EXECUTIVE) for n in range(args.clients)]
    responders = [person(f"responder{n}", Role.RESPONDER, [supply]) for n in range(args.clients)]
    owners = [person(f"owner{n}", Role.RESPONDER).username for n in range(20)]
    report = import_register(content=register_csv(owners, RISKS), filename="bench.csv", by=officers[0])
    assert report.created == RISKS and not report.errors, report.errors[:3]
    print(f"  {RISKS} risks imported ({time.monotonic() - started:.0f} s)", flush=True)

    # 20 tasks: 18 in tier 1 (open at once, the team "supply" Responsible and Accountable), one each later.
    spec = three_tier_spec(cast, extra_steps_in_t1=STEPS - 3)
    playbook = playbook_publish(playbook=playbook_create(spec=spec, created_by=officers[0]), by=officers[0])
    risk_ids = list(Risk.objects.values_list("pk", flat=True))
    incident_ids = []
    for n in range(INCIDENTS):
        incident = services.incident_declare(
            title=f"Incident {n}: supplier plant fire",
            severity=n % 4 + 1,
            playbook_id=playbook.pk,
            commander=officers[n % len(officers)],
            declared_by=officers[0],
            risks=Risk.objects.filter(pk=risk_ids[n * 7 % len(risk_ids)]),
        )
        incident_ids.append(incident.pk)
        if n >= LIVE_INCIDENTS:
            services.incident_resolve(incident_id=incident.pk, by=officers[0])
        if n % 100 == 99:
            print(f"  {n + 1} incidents declared ({time.monotonic() - started:.0f} s)", flush=True)
    live = incident_ids[:LIVE_INCIDENTS]
    with connection.cursor() as cursor:  # as autovacuum would have, long before anyone looks
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def token(user):
        return {"Authorization": f"Token {Token.objects.create(user=user).key}"}

    def session(user):
        client = Client()
        client.force_login(user)
        return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}

    return {
        "clients": args.clients,
        "executives": [session(user) for user in executives],
        "officers": [token(user) for user in officers],
        "officer_sessions": [session(user) for user in officers],
        # The live incidents' commanders (officers in turn), each signed in.
        "commanders": {incident: session(officers[n % len(officers)]) for n, incident in enumerate(live)},
        "responders": [(token(user), session(user)) for user in responders],
        "risks": risk_ids,
        "live": live,
    }


def tasks_in_play(live: list[int]) -> dict:
    """The live incidents' tasks people can still act on: open ones (in a fixed shuffle) to
    acknowledge, acknowledged ones to complete."""
    from incidents.models import Task, TaskState

    def tasks(state):
        chosen = Task.objects.filter(incident_id__in=live, state=state).order_by("pk")
        return list(chosen.values_list("pk", flat=True))

    open_tasks = tasks(TaskState.OPEN)
    random.Random(8).shuffle(open_tasks)
    return {"open_tasks": deque(open_tasks), "acknowledged": deque(tasks(TaskState.ACKNOWLEDGED))}


async def executive(recorder, connection, cookie, world):
    while True:
        await recorder.call(connection, "dashboard page", "GET", "/dashboard/", cookie)
        for _ in range(3):
            await recorder.call(connection, "dashboard live part", "GET", "/dashboard/?part=live", cookie)


async def risk_officer(recorder, connection, token, world):
    pick = random.Random(id(token))
    pages = [
        "/api/v1/risks/?limit=50",
        "/api/v1/risks/?limit=50&offset={offset}",
        "/api/v1/risks/?limit=50&offset={offset}&ordering=-score",
        "/api/v1/risks/?limit=50&level=high&category=financial",
        "/api/v1/risks/?limit=50&search=supplier+{offset}",
        "/api/v1/risks/?limit=50&review_overdue=true",
    ]
    while True:
        page = pick.choice(pages).format(offset=pick.randrange(0, RISKS - 50))
        await recorder.call(connection, "register list", "GET", page, token)
        risk = pick.choice(world["risks"])
        await recorder.call(connection, "risk detail", "GET", f"/api/v1/risks/{risk}/", token)


async def responder(recorder, connection, credentials, world):
    token, cookie = credentials
    pick = random.Random(id(token))
    post = {**token, "Content-Type": "application/json"}
    while True:
        incident = pick.choice(world["live"])
        await recorder.call(connection, "incident + tasks", "GET", f"/api/v1/incidents/{incident}/", token)
        await recorder.call(
            connection, "timeline", "GET", f"/api/v1/incidents/{incident}/timeline/?since=0", token
        )
        await recorder.call(connection, "war room page", "GET", f"/incidents/{incident}/", cookie)
        if world["acknowledged"] and (pick.random() < 0.5 or not world["open_tasks"]):
            task = world["acknowledged"].popleft()
            body = json.dumps({"note": "Done."}).encode()
            await recorder.call(
                connection, "task complete", "POST", f"/api/v1/tasks/{task}/complete/", post, body
            )
        elif world["open_tasks"]:
            task = world["open_tasks"].popleft()
            status, _ = await recorder.call(
                connection, "task acknowledge", "POST", f"/api/v1/tasks/{task}/acknowledge/", post
            )
            if status == 200:
                world["acknowledged"].append(task)


def person(n: int, recorder: Recorder, connection: Connection, world: dict):
    """The n-th client: 1 executive, 1 risk officer, 3 responders in every 5."""
    kind = n % 5
    if kind == 0:
        return executive(recorder, connection, world["executives"][n], world)
    if kind == 1:
        return risk_officer(recorder, connection, world["officers"][n], world)
    return responder(recorder, connection, world["responders"][n], world)


async def load(args, ports, cpu, person) -> tuple[Recorder, float, float]:
    """args.clients people, person(n, recorder, connection) each, measured for args.seconds after
    args.warm_up seconds; returns the recorder, the seconds measured and the servers' CPU seconds
    meanwhile."""
    recorder = Recorder(args.think)
    workers = [person(n, recorder, Connection(ports[n % len(ports)])) for n in range(args.clients)]
    tasks = [asyncio.create_task(worker) for worker in workers]
    await asyncio.sleep(args.warm_up)  # connections opened, caches filled
    recorder.measuring, start, cpu_before = True, time.monotonic(), cpu()
    await asyncio.sleep(args.seconds)
    recorder.measuring, seconds, used = False, time.monotonic() - start, cpu() - cpu_before
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return recorder, seconds, used


async def floor(args, ports, path: str, headers: dict) -> tuple[Recorder, float]:
    """The same clients asking for the smallest answer there is (`path`), for args.floor_seconds."""
    recorder = Recorder(args.think)

    async def client(connection):
        while True:
            await recorder.call(connection, "floor", "GET", path, headers)

    tasks = [asyncio.create_task(client(Connection(ports[n % len(ports)]))) for n in range(args.clients)]
    await asyncio.sleep(2)
    recorder.measuring, start = True, time.monotonic()
    await asyncio.sleep(args.floor_seconds)
    recorder.measuring, seconds = False, time.monotonic() - start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return recorder, seconds


@contextmanager
def serving(args, title: str):
    """A private redis-server, a fresh test database with the benchmark data (build()) and
    args.servers Uvicorn processes on them; yields the world and the processes' ids."""
    import django

    from riskops.embedded_redis import EmbeddedRedis

    kept = Path(args.keep) if args.keep else None
    if kept:  # the same secret key, or the kept sessions are refused
        kept.with_suffix(".var").mkdir(exist_ok=True)
        os.environ["RISKOPS_VAR_DIR"] = str(kept.with_suffix(".var"))
    var = Path(os.environ["RISKOPS_VAR_DIR"])
    redis = EmbeddedRedis(var / "redis").start()
    os.environ["REDIS_URL"] = redis.url
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner, setup_test_environment

    from tests.servers import AsgiServer

    setup_test_environment()
    reused = bool(kept and kept.exists())
    # Without --keep, a test database left over is replaced.
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=reused)
    old = runner.setup_databases()
    servers = []
    try:
        print(
            f"{title} · {connection.vendor} · {args.servers} Uvicorn processes · "
            f"{args.clients} clients pausing {args.think:g} s on average · "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores · "
            f"the interpreter's floor {interpreter_floor():.0f} µs",
            flush=True,
        )
        world = json.loads(kept.read_text()) if reused else build(args)
        if world["clients"] < args.clients:
            raise SystemExit(f"{kept} holds {world['clients']} people; run with --clients {world['clients']}")
        if kept and not reused:
            kept.write_text(json.dumps(world))
        world.update(tasks_in_play(world["live"]))
        servers = [AsgiServer(var, redis_url=redis.url).start() for _ in range(args.servers)]
        world["ports"] = [server.port for server in servers]
        yield world, [server.process.pid for server in servers]
    finally:
        for server in servers:
            server.stop()
        if not kept:
            runner.teardown_databases(old)
        redis.stop()


def interpreter_floor() -> float:
    """This machine's Python speed, to compare figures taken on different machines: µs for
    `sum(range(10000))`, the best of 5 runs (as `python -m timeit "sum(range(10000))"` prints it)."""
    return min(timeit.repeat("sum(range(10000))", number=1000, repeat=5)) * 1000


def report(
    recorder: Recorder,
    seconds: float,
    floor_recorder: Recorder,
    floor_seconds: float,
    cpu: float,
    floor_name: str,
):
    """Prints each endpoint's figures, the floor's and the servers' CPU; returns every sample and error."""
    everything, errors = [], []
    for endpoint, samples in recorder.latencies.items():
        print(line(endpoint, samples, len(recorder.errors[endpoint]), seconds))
        everything += samples
        errors += recorder.errors[endpoint]
    floor_samples = floor_recorder.latencies["floor"]
    print(line(f"floor: {floor_name}", floor_samples, len(floor_recorder.errors["floor"]), floor_seconds))
    print(
        f"  Uvicorn processes: {cpu * 1000 / len(everything):.1f} ms of CPU per request, "
        f"{cpu / seconds:.0%} of a core in all"
    )
    return everything, errors + floor_recorder.errors["floor"]


def conclude(errors: list[str]) -> int:
    """Prints the load average at the end and the first errors; the exit code: 1 on any error."""
    print("  load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    for error in errors[:10]:
        print(f"  error: {error}")
    return 1 if errors else 0


def main() -> int:
    from bench.push.run import cpu_seconds

    args = options()
    with serving(args, "API load benchmark") as (world, pids):
        ports = world["ports"]
        recorder, seconds, cpu = asyncio.run(
            load(args, ports, lambda: sum(map(cpu_seconds, pids)), partial(person, world=world))
        )
        floor_recorder, floor_seconds = asyncio.run(
            floor(args, ports, "/api/v1/risk-categories/", world["officers"][1])
        )

    print(f"  {len(world['live'])} live incidents; per endpoint, ms ({seconds:.0f} s measured):")
    everything, errors = report(
        recorder, seconds, floor_recorder, floor_seconds, cpu, "risk categories (tiny)"
    )
    print(line("all", everything, len(errors), seconds) + f"   target p95 ≤ {TARGET_P95_MS}")
    floor_samples = floor_recorder.latencies["floor"]
    print(f"  all / floor: p95 ×{percentile(everything, 95) / percentile(floor_samples, 95):.1f}")
    return conclude(errors)


if __name__ == "__main__":
    sys.exit(main())
