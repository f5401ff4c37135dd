"""Chaos benchmark: drills on the whole stack while Redis is restarted empty and a worker is SIGKILLed.

    .venv/bin/python bench/chaos/run.py                       # SQLite (a test database of its own)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_bench_chaos .venv/bin/python bench/chaos/run.py

It builds a fresh database (on PostgreSQL: test_<name>, replaced if left over) and starts the
whole stack on a private redis-server: 2 Uvicorn processes, 2 Celery workers (queues timers and
default) and beat, each restarted when it exits by itself, as a supervisor would. Then, through
the API, DRILLS drills of a three-tier plan at clock rate 3600 (tier 1's task overdue at 2 s and
escalated at 3 s and 4 s, tier 2 at 6 s, its task escalating from 18 s, tier 3 at 48 s, its task
escalating from 72 s to 84 s), one every 4 s. Each drill has a WebSocket client (with a ticket)
on its stream on each ASGI process, reconnecting as the pages' script does: with ?since=<last
seq> after a close, or at once when a seq is skipped. The clients on the first process drop their
connection when Redis stops (a network that blinked), so they reconnect through the outage. An
HTTP poller reads a drill every 0.2 s and posts a status update every second, alternating the
processes.

At REDIS_AT s Redis is stopped, and started again REDIS_DOWN s later with every key gone (queued
and held messages, tickets, beat's tick); at KILL_AT s worker "one" is SIGKILLed, and its
supervisor starts it again 1 s later.
Once every timer is due the drills are resolved, and the run reports:

- timers: fired against due (those cancelled in time apart), their effects on the timelines,
  duplicates and misses (0 and 0), and how late they fired (p50, max);
- WebSocket clients: events delivered against the timeline, in seq order with no gap, no
  duplicate, once the last event arrived; reconnections and resyncs;
- HTTP: 5xx answers inside the outage window (Redis stopped → Redis answering again) and outside
  it (must be 0).

The floor, measured in the same run: the lateness of the timers due before the first fault, when
nothing had gone wrong yet.
"""

import asyncio
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ.setdefault("RISKOPS_VAR_DIR", tempfile.mkdtemp(prefix="bench-chaos-"))

DRILLS, DRILL_EVERY = 5, 4.0
REDIS_AT, REDIS_DOWN, KILL_AT = 10.0, 3.0, 30.0
LAST_TIMER_AFTER = 84  # seconds after a drill's declaration
PATIENCE = 60  # seconds anything may take to catch up after the last timer was due


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


class Http:
    """Every HTTP answer the run got, with when (monotonic), for the outage window's accounting."""

    def __init__(self):
        self.answers: list[tuple[float, str, int]] = []
        self.lock = threading.Lock()

    def call(self, script, method, path, body=None):
        try:
            status, data = script.call(method, path, body)
        except OSError as error:  # refused, reset: counted as a server error
            status, data = 599, {"error": str(error)}
        except ValueError:  # not JSON: Django's own error page
            status, data = 598, None
        with self.lock:
            self.answers.append((time.monotonic(), path, status))
        return status, data

    def server_errors(self, window) -> tuple[int, Counter, Counter]:
        """(answers, 5xx inside the window by kind of request, 5xx outside it by kind)."""
        inside, outside = Counter(), Counter()
        for at, path, status in self.answers:
            if status >= 500:
                kind = "/".join("{id}" if part.isdigit() else part for part in path.split("/")[3:])
                (inside if window[0] <= at <= window[1] else outside)[kind] += 1
        return len(self.answers), inside, outside


class Follower:
    """One WebSocket client of an incident stream, resyncing as static/live/live.js does."""

    def __init__(self, script, http, incident_id):
        self.script, self.http, self.incident_id = script, http, incident_id
        self.delivered: list[int] = []
        self.connections = self.resyncs = self.dropped_repeats = 0
        self.blink = False  # set to drop the connection once, as a network that blinked

    @property
    def last(self) -> int:
        return self.delivered[-1] if self.delivered else 0

    async def ticket(self) -> str | None:
        status, data = await asyncio.to_thread(self.http.call, self.script, "POST", "/api/v1/ws-ticket/")
        return data["ticket"] if status in (200, 201) else None

    async def run(self, stop: asyncio.Event) -> None:
        import websockets

        backoff = 0.2
        while not stop.is_set():
            ticket = await self.ticket()
            if ticket:
                url = f"{self.script.server.ws_url}/ws/incidents/{self.incident_id}/"
                try:
                    async with websockets.connect(f"{url}?since={self.last}&ticket={ticket}") as socket:
                        self.connections += 1
                        backoff = 0.2
                        await self.read(socket, stop)
                except (TimeoutError, OSError, websockets.WebSocketException):
                    pass
            if not stop.is_set():
                await asyncio.sleep(backoff * random.uniform(0.5, 1.5))
                backoff = min(backoff * 2, 3)

    async def read(self, socket, stop) -> None:
        while not stop.is_set():
            try:
                message = json.loads(await asyncio.wait_for(socket.recv(), timeout=0.5))
            except TimeoutError:
                if self.blink:
                    self.blink = False
                    return
                continue
            if message["type"] == "snapshot":
                continue
            if message["seq"] <= self.last:
                self.dropped_repeats += 1
            elif message["seq"] != self.last + 1:
                self.resyncs += 1
                return  # reconnect with ?since=
            else:
                self.delivered.append(message["seq"])


def run_followers(followers, loop_ready: threading.Event, holder: dict):
    """The clients' event loop, in a thread of its own; `holder` gets the loop and its stop event."""

    async def main():
        holder["loop"], holder["stop"] = asyncio.get_running_loop(), asyncio.Event()
        loop_ready.set()
        await asyncio.gather(*(follower.run(holder["stop"]) for follower in followers))

    asyncio.run(main())


def poll(http, scripts, incident_ids, stop: threading.Event) -> None:
    """Reads a drill every 0.2 s and posts a status update every second, alternating processes."""
    n = 0
    while not stop.is_set():
        script = scripts[n % len(scripts)]
        incident = incident_ids[n % len(incident_ids)]
        http.call(script["ceo"], "GET", f"/api/v1/incidents/{incident}/")
        if n % 5 == 4:
            http.call(
                script["commander"], "POST", f"/api/v1/incidents/{incident}/updates/", {"body": f"Update {n}"}
            )
        n += 1
        time.sleep(0.2)


def timer_report(incident_ids, now, faults_at) -> dict:
    """Timers due by `now`; lateness apart for those due before the first fault (the floor).

    Each fired timer writes one timeline entry by nobody. An escalation or a tier start writes one
    that no other timer writes (its task and level, or its tier); the update cadence's reminders
    write the same entry every cycle, so they are counted against the cadence timers fired, per
    incident and level. A timer cancelled before it was due to fire (a status update in time) is
    neither fired nor missed."""
    from incidents import happenings
    from incidents.models import TimelineEntry, Timer, TimerKind, TimerState

    timers = list(Timer.objects.filter(incident_id__in=incident_ids, due_at__lte=now))
    fired = [timer for timer in timers if timer.state == TimerState.FIRED]
    cancelled = [timer for timer in timers if timer.state == TimerState.CANCELLED]
    cadence = {happenings.update_due_at(level).timeline: level for level in (1, 2)}
    effects, reminders = Counter(), Counter()
    for entry in TimelineEntry.objects.filter(incident_id__in=incident_ids, actor=None):
        if entry.type in cadence:
            reminders[(entry.incident_id, cadence[entry.type])] += 1
        else:
            key = (entry.incident_id, entry.type, entry.data.get("task"), entry.data.get("level"))
            effects[key + (entry.data.get("to"),)] += 1
    reminded = Counter(
        (timer.incident_id, timer.level) for timer in fired if timer.kind == TimerKind.UPDATE_DUE
    )
    lateness = {
        timer.pk: ((timer.fired_at - timer.due_at).total_seconds(), timer.due_at < faults_at)
        for timer in fired
    }
    return {
        "due": len(timers),
        "fired": len(fired),
        "cancelled": len(cancelled),
        "effects": sum(effects.values()) + sum(reminders.values()),
        "duplicates": sum(count - 1 for count in effects.values())
        + sum(max(0, reminders[key] - reminded[key]) for key in reminders),
        "misses": len(timers)
        - len(fired)
        - len(cancelled)
        + sum(max(0, reminded[key] - reminders[key]) for key in reminded),
        "floor": [late for late, before in lateness.values() if before],
        "lateness": [late for late, before in lateness.values() if not before],
    }


def main() -> int:
    from riskops.embedded_redis import EmbeddedRedis

    var = Path(os.environ["RISKOPS_VAR_DIR"])
    redis = EmbeddedRedis(var / "redis").start()
    os.environ["REDIS_URL"] = redis.url
    try:
        return bench(var, redis)
    finally:
        redis.stop()


def bench(var: Path, redis) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner, setup_test_environment

    from incidents.models import Timer
    from people.models import Membership, Role, Team
    from people.services import user_create
    from playbooks.services import playbook_create, playbook_publish
    from tests.factories import three_tier_spec
    from tests.processes import Stack, wait_until
    from tests.servers import AsgiServer, Script, declare_drill

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nobody logs in
    runner = get_runner(settings)(verbosity=0, interactive=False)  # a test database left over is replaced
    old = runner.setup_databases()
    stack, servers = Stack(redis.url, var), []
    try:
        print(
            f"chaos benchmark · {connection.vendor} · 2 Uvicorn processes, 2 workers, beat · {DRILLS} drills "
            f"at clock rate 3600 · load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            flush=True,
        )

        def person(username, role, teams=()):
            return user_create(
                by=None, username=username, password="Bench-Password-1", role=role, teams=list(teams)
            )

        supply, pr = (
            Team.objects.create(slug="supply", name="Supply"),
            Team.objects.create(slug="pr", name="PR"),
        )
        cast = {
            "supply": supply,
            "pr": pr,
            "buyer": person("buyer", Role.RESPONDER, [supply]),
            "pr_lead": person("pr-lead", Role.RESPONDER, [pr]),
            "commander": person("commander", Role.RESPONDER),
            "ceo": person("ceo", Role.EXECUTIVE),
            "officer": person("officer", Role.RISK_OFFICER),
            "contact": person("contact", Role.RESPONDER),
        }
        supply.escalation_contact = cast["contact"]
        supply.save()
        Membership.objects.create(team=supply, user=cast["contact"])
        playbook = playbook_publish(
            playbook=playbook_create(spec=three_tier_spec(cast), created_by=cast["officer"]),
            by=cast["officer"],
        )

        stack.worker("one")
        stack.worker("two")
        stack.beat()
        servers = [AsgiServer(var, redis_url=redis.url).start() for _ in range(2)]
        scripts = [
            {who: Script.of(server, cast[who]) for who in ("ceo", "commander", "officer")}
            for server in servers
        ]
        healthy = lambda: scripts[0]["ceo"].call("GET", "/healthz")[0] == 200  # noqa: E731
        assert wait_until(healthy, timeout=120, stack=stack), stack.log("one")[-2000:]

        http, followers, incident_ids = Http(), [], []
        loop_ready, holder, poll_stop = threading.Event(), {}, threading.Event()
        start = time.monotonic()
        window = [None, None]
        poller = None
        clients = None
        killed = False
        while time.monotonic() - start < (DRILLS - 1) * DRILL_EVERY + LAST_TIMER_AFTER + 1:
            elapsed = time.monotonic() - start
            if len(incident_ids) < DRILLS and elapsed >= len(incident_ids) * DRILL_EVERY:
                drill = declare_drill(scripts[len(incident_ids) % 2]["officer"], playbook, cast["commander"])
                incident_ids.append(drill["id"])
                followers += [Follower(script["ceo"], http, drill["id"]) for script in scripts]
                if clients is None:
                    clients = threading.Thread(
                        target=run_followers, args=(followers, loop_ready, holder), daemon=True
                    )
                    clients.start()
                    loop_ready.wait()
                    poller = threading.Thread(
                        target=poll, args=(http, scripts, incident_ids, poll_stop), daemon=True
                    )
                    poller.start()
                else:
                    for follower in followers[-2:]:
                        asyncio.run_coroutine_threadsafe(follower.run(holder["stop"]), holder["loop"])
            if window[0] is None and elapsed >= REDIS_AT:
                print(
                    f"  {elapsed:5.1f} s: Redis stopped; started again empty {REDIS_DOWN:g} s later",
                    flush=True,
                )
                window[0], faults_at = time.monotonic(), django.utils.timezone.now()
                redis.stop()
                for follower in followers[::2]:  # the first process's: reconnecting while Redis is down
                    follower.blink = True
                time.sleep(REDIS_DOWN)
                redis.start()
                window[1] = time.monotonic()
            if not killed and elapsed >= KILL_AT:
                print(f"  {elapsed:5.1f} s: worker one SIGKILLed", flush=True)
                stack.kill("one")
                killed = True
                time.sleep(1)
                stack.worker("one")
            stack.respawn_exited()
            time.sleep(0.1)

        now = django.utils.timezone.now()
        due = Timer.objects.filter(incident_id__in=incident_ids, due_at__lte=now)
        wait_until(lambda: not due.filter(state="pending").exists(), timeout=PATIENCE, stack=stack)
        timers = timer_report(incident_ids, now, faults_at)
        for n, incident in enumerate(incident_ids):
            http.call(scripts[n % 2]["commander"], "POST", f"/api/v1/incidents/{incident}/resolve/")
        poll_stop.set()
        poller.join()

        from incidents.models import TimelineEntry

        final = {
            incident: TimelineEntry.objects.filter(incident_id=incident)
            .order_by("-seq")
            .values_list("seq", flat=True)[0]
            for incident in incident_ids
        }
        caught_up = lambda: all(f.last >= final[f.incident_id] for f in followers)  # noqa: E731
        wait_until(caught_up, timeout=PATIENCE)
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        time.sleep(1)
    finally:
        for server in servers:
            server.stop()
        stack.stop_all()
        runner.teardown_databases(old)

    print(
        f"  timers due {timers['due']}, fired {timers['fired']}, cancelled in time {timers['cancelled']}, "
        f"effects on timelines {timers['effects']}; "
        f"duplicates {timers['duplicates']}, misses {timers['misses']}"
    )
    for name, lateness in (
        ("before the faults (floor)", timers["floor"]),
        ("from the faults on", timers["lateness"]),
    ):
        if lateness:
            print(
                f"  lateness {name}: {len(lateness)} timers, p50 {percentile(lateness, 50):.2f} s, "
                f"p95 {percentile(lateness, 95):.2f} s, max {max(lateness):.2f} s"
            )
    complete = sum(f.delivered == list(range(1, final[f.incident_id] + 1)) for f in followers)
    events = sum(final[f.incident_id] for f in followers)
    delivered = sum(len(f.delivered) for f in followers)
    print(
        f"  WebSocket clients: {complete} of {len(followers)} got every event in order "
        f"({delivered} of {events}); "
        f"connections {sum(f.connections for f in followers)}, resyncs after a gap "
        f"{sum(f.resyncs for f in followers)}, repeats dropped {sum(f.dropped_repeats for f in followers)}"
    )
    answers, inside, outside = http.server_errors(window)
    print(
        f"  HTTP: {answers} answers; 5xx inside the outage window ({window[1] - window[0]:.1f} s) "
        f"{sum(inside.values())} {dict(inside)}, outside it {sum(outside.values())} {dict(outside)}"
    )
    print(f"  processes restarted by the supervisor: {stack.restarts}")
    print("  load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    ok = timers["duplicates"] == 0 and timers["misses"] == 0 and complete == len(followers) and not outside
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
