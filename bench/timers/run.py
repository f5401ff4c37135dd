"""Timer benchmark: 10,000 timers due within one minute, fired by 2 real workers.

    .venv/bin/python bench/timers/run.py              # SQLite (a file of its own under var/)
    .venv/bin/python bench/timers/run.py --kill       # ... and SIGKILL one worker mid-run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_bench_timers .venv/bin/python bench/timers/run.py
    (on PostgreSQL the database must exist: createdb riskops_bench_timers)

It builds a fresh database, declares incidents, puts TIMERS escalation timers on their tasks
due evenly over WINDOW seconds, starts a private redis-server, Celery beat and 2 workers, waits,
and prints firing lateness (fired_at - due_at) p50/p99/max, duplicates (timeline entries beyond
one per timer), misses (timers still pending 15 s after their due time), and the declaration
time of a 30-step playbook. The floor, measured in the same run: a Redis round trip and a
database round trip.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
if "DATABASE_URL" not in os.environ:
    database = ROOT / "var" / "bench-timers.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"

from riskops.embedded_redis import EmbeddedRedis  # noqa: E402

REDIS = EmbeddedRedis(ROOT / "var" / "bench-timers-redis").start()
os.environ["REDIS_URL"] = REDIS.url

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

import redis  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from incidents import services  # noqa: E402
from incidents.happenings import ESCALATION_FIRED, TASK_OVERDUE  # noqa: E402
from incidents.models import TimelineEntry, Timer, TimerKind, TimerState  # noqa: E402
from people.models import Role, Team  # noqa: E402
from people.services import user_create  # noqa: E402
from playbooks.services import playbook_create, playbook_publish  # noqa: E402


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def floor():
    client = redis.Redis.from_url(REDIS.url)
    samples_redis, samples_db = [], []
    for _ in range(200):
        start = time.perf_counter()
        client.ping()
        samples_redis.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        samples_db.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples_redis), statistics.median(samples_db)


def playbook_spec(team, person, steps):
    return {
        "name": f"Bench plan, {steps} steps",
        "tiers": [
            {"key": "T1", "name": "T1", "starts_after": "PT0S", "ends_after": "PT6H"},
            {"key": "T2", "name": "T2", "starts_after": "PT6H", "ends_after": "PT48H"},
            {"key": "T3", "name": "T3", "starts_after": "PT48H", "ends_after": None},
        ],
        "steps": [
            {
                "tier": ("T1", "T2", "T3")[n % 3],
                "order": n,
                "title": f"Step {n}",
                "instructions": "",
                "due_after": "PT1H",
                "escalate_after": "PT1H",
                "raci": {
                    "responsible": [{"team": team.pk}],
                    "accountable": {"user": person.pk},
                    "consulted": [],
                    "informed": [{"team": team.pk}],
                },
            }
            for n in range(1, steps + 1)
        ],
    }


def setup_data(timers: int, window: float):
    team = Team.objects.create(slug="bench", name="Bench")
    people = [
        user_create(
            by=None, username=f"bench{n}", password="Bench-Password-1", role=Role.RESPONDER, teams=[team]
        )
        for n in range(5)
    ]
    user_create(by=None, username="exec", password="Bench-Password-1", role=Role.EXECUTIVE)
    officer = people[0]
    small = playbook_publish(
        playbook=playbook_create(spec=playbook_spec(team, officer, 10), created_by=officer), by=officer
    )
    large = playbook_publish(
        playbook=playbook_create(spec=playbook_spec(team, officer, 30), created_by=officer), by=officer
    )

    declare_ms = []
    for n in range(60):
        start = time.perf_counter()
        services.incident_declare(
            title=f"Declared {n}", severity=2, playbook_id=large.pk, commander=officer, declared_by=officer
        )
        declare_ms.append((time.perf_counter() - start) * 1000)

    incidents = [
        services.incident_declare(
            title=f"Bench {n}", severity=2, playbook_id=small.pk, commander=officer, declared_by=officer
        )
        for n in range(100)
    ]
    Timer.objects.update(state=TimerState.CANCELLED)  # the declarations' own timers are hours away
    tasks = [task for incident in incidents for task in incident.tasks.filter(state="open")]
    start = timezone.now() + dt.timedelta(seconds=15)
    Timer.objects.bulk_create(
        [
            Timer(
                kind=TimerKind.ESCALATION,
                incident_id=tasks[n % len(tasks)].incident_id,
                task=tasks[n % len(tasks)],
                level=1 + n % 3,
                due_at=start + dt.timedelta(seconds=window * n / timers),
            )
            for n in range(timers)
        ],
        batch_size=1000,
    )
    return start, declare_ms


def start_process(name, *args):
    log = open(ROOT / "var" / f"bench-timers-{name}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "riskops", *args],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timers", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--kill", action="store_true", help="SIGKILL one worker half-way through")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    redis_ms, db_ms = floor()
    start, declare_ms = setup_data(options.timers, options.window)
    engine = connection.vendor
    print(
        f"database: {engine}; timers: {options.timers} due over {options.window:.0f} s; kill: {options.kill}"
    )

    processes = {
        "beat": start_process("beat", "beat", "--schedule", str(ROOT / "var" / "bench-timers-beat")),
        "worker1": start_process("worker1", "worker", "-Q", "timers,default", "-c", "2", "-n", "bench1@%h"),
        "worker2": start_process("worker2", "worker", "-Q", "timers,default", "-c", "2", "-n", "bench2@%h"),
    }
    end = start + dt.timedelta(seconds=options.window)
    try:
        if options.kill:
            time.sleep(max(0.0, (start - timezone.now()).total_seconds() + options.window / 2))
            os.killpg(processes.pop("worker1").pid, signal.SIGKILL)
            print(f"killed worker1 at {timezone.now():%H:%M:%S}")
        while timezone.now() < end + dt.timedelta(seconds=15):
            if not Timer.objects.filter(state=TimerState.PENDING, due_at__lte=end).exists():
                break
            time.sleep(1)
    finally:
        for process in processes.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            process.wait(timeout=30)
        REDIS.stop()

    timers = Timer.objects.filter(due_at__gte=start, due_at__lte=end)
    fired = list(timers.filter(state=TimerState.FIRED).values_list("due_at", "fired_at"))
    lateness = [(fired_at - due_at).total_seconds() * 1000 for due_at, fired_at in fired]
    missed = timers.filter(state=TimerState.PENDING).count()
    escalation_types = [TASK_OVERDUE.timeline, ESCALATION_FIRED.timeline]
    entries = TimelineEntry.objects.filter(type__in=escalation_types).count()
    print(f"floor: redis round trip p50 {redis_ms:.2f} ms, database round trip p50 {db_ms:.2f} ms")
    print(
        f"declare (30-step playbook): p50 {statistics.median(declare_ms):.1f} ms, "
        f"p95 {percentile(declare_ms, 95):.1f} ms"
    )
    print(f"fired: {len(fired)} of {timers.count()}; missed: {missed}; duplicates: {entries - len(fired)}")
    if lateness:
        print(
            f"lateness: p50 {percentile(lateness, 50):.0f} ms, p99 {percentile(lateness, 99):.0f} ms, "
            f"max {max(lateness):.0f} ms"
        )


if __name__ == "__main__":
    main()
