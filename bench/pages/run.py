"""Page budget: the pages people open, at 50 concurrent users signed in, against Uvicorn; the floor.

    .venv/bin/python bench/pages/run.py                      # SQLite (a test database of its own)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_bench_pages .venv/bin/python bench/pages/run.py
    .venv/bin/python bench/pages/run.py --servers 2 --seconds 30
    .venv/bin/python bench/pages/run.py --keep var/bench-pages.json   # the data built once, reused next time

The benchmark data and the servers are bench/api's (10,000 risks, 1,000 incidents of 20 tasks,
60 still live; --servers Uvicorn processes as a deployment runs them, a private redis-server).
Each of --clients people, signed in with a session cookie, opens the pages of their role without
stopping, pausing --think seconds on average between pages, as a browser would:

- executives: the executive dashboard (/dashboard/);
- risk officers: the register (/risks/, its first page or another), then a risk's page;
- commanders: the war room of the incident they command (they see its commander's forms);
- responders (two in every five people): the war room of a live incident their team works on.

Meanwhile the crisis goes on: --changes responders each acknowledge or complete a task of a live
incident through the API, about once a second (the same pauses), so the cockpit and that war
room change under the readers' feet. Pages are kept by what they show (core/shared_parts.py);
--changes 0 measures a register nobody touches, where almost every page is a kept one. The first
30 s (--warm-up) are not measured: each process renders the parts its readers ask for once, as a
deployment that has been up a while has.

It prints each page's p50/p95/p99 (ms, from the request's first byte sent to the answer's last
byte received, on loopback: the server's time, queueing included) against the budget, p95 ≤ 50 ms,
and the floor measured in the same run: the same people asking for a static file (the menu's
script, served by WhiteNoise through the same middleware); its first line names the interpreter's
floor too (bench/api's). Before the load, each page is rendered
in-process, alone: its database queries, its size, its time, and whether it includes a script
more than once.
Exits 1 on any error.
"""

import asyncio
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ.setdefault("RISKOPS_VAR_DIR", tempfile.mkdtemp(prefix="bench-pages-"))

from bench.api.run import RISKS, Connection, conclude, load, options, percentile, report, serving  # noqa: E402
from bench.api.run import floor as floor_load  # noqa: E402

TARGET_P95_MS = 50
RENDERS = 20
FLOOR_PATH = "/static/js/menu.js"
SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"")


async def executive(recorder, connection, cookie):
    while True:
        await recorder.call(connection, "dashboard", "GET", "/dashboard/", cookie)


async def risk_officer(recorder, connection, cookie, risks):
    pick = random.Random(cookie["Cookie"])
    while True:
        page = "/risks/" if pick.random() < 0.5 else f"/risks/?page={pick.randrange(1, RISKS // 50)}"
        await recorder.call(connection, "register", "GET", page, cookie)
        await recorder.call(connection, "risk page", "GET", f"/risks/{pick.choice(risks)}/", cookie)


async def war_room(recorder, connection, cookie, incidents, name):
    pick = random.Random(cookie["Cookie"])
    while True:
        await recorder.call(connection, name, "GET", f"/incidents/{pick.choice(incidents)}/", cookie)


async def crisis(recorder, connection, world):
    """A responder acknowledging a task of a live incident, or completing one they acknowledged,
    through the API: each a new timeline entry, so the cockpit and the incident's war room change."""
    token, _ = world["responders"][0]
    post = {**token, "Content-Type": "application/json"}
    while True:
        if world["acknowledged"] and (random.random() < 0.5 or not world["open_tasks"]):
            task, action = world["acknowledged"].popleft(), "complete"
        elif world["open_tasks"]:
            task, action = world["open_tasks"].popleft(), "acknowledge"
        else:
            return
        status, _ = await recorder.call(
            connection, "change (API)", "POST", f"/api/v1/tasks/{task}/{action}/", post, b"{}"
        )
        if status == 200 and action == "acknowledge":
            world["acknowledged"].append(task)


async def person_in_a_crisis(n: int, recorder, connection, world: dict, changes: int):
    """The n-th person; the first --changes of them also change things, on a connection of their own."""
    work = person(n, recorder, connection, world)
    if n >= changes:
        return await work
    await asyncio.gather(work, crisis(recorder, Connection(connection.port), world))


def person(n: int, recorder, connection, world: dict):
    """The n-th person: an executive, a risk officer, a commander, two responders in every five."""
    kind = n % 5
    if kind == 0:
        return executive(recorder, connection, world["executives"][n])
    if kind == 1:
        return risk_officer(recorder, connection, world["officer_sessions"][n], world["risks"])
    if kind == 2:
        incident, cookie = list(world["commanders"].items())[n // 5 % len(world["commanders"])]
        return war_room(recorder, connection, cookie, [incident], "war room (commander)")
    cookie = world["responders"][n][1]
    return war_room(recorder, connection, cookie, world["live"], "war room (responder)")


def inspect_pages(world: dict) -> dict[str, str]:
    """Each page rendered in-process, alone, as the person who opens it: its queries, its size,
    any script it includes more than once, and its time (median of RENDERS; the CPU is this
    process's, the database's own is not in it)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.disable(logging.INFO)  # the request log, one line per request

    incident, commander = next(iter(world["commanders"].items()))
    pages = {
        "dashboard": ("/dashboard/", world["executives"][0]),
        "register": ("/risks/", world["officer_sessions"][1]),
        "risk page": (f"/risks/{world['risks'][0]}/", world["officer_sessions"][1]),
        "war room (commander)": (f"/incidents/{incident}/", commander),
        "war room (responder)": (f"/incidents/{incident}/", world["responders"][3][1]),
    }
    found = {}
    for name, (path, cookie) in pages.items():
        client = Client()
        client.cookies.load(cookie["Cookie"])
        client.get(path)  # caches filled, as in the run
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        # Counted now: captured_queries reads a log that the next request empties.
        query_count = len(queries)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        repeated = {src: count for src, count in Counter(SCRIPT.findall(html)).items() if count > 1}
        scripts = ", ".join(f"{src} ×{count}" for src, count in repeated.items()) or "each once"
        walls, cpus = [], []
        for _ in range(RENDERS):
            wall, cpu = time.perf_counter(), time.thread_time()
            client.get(path)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.thread_time() - cpu) * 1000)
        found[name] = (
            f"alone {statistics.median(walls):.0f} ms ({statistics.median(cpus):.0f} ms CPU), "
            f"{query_count} queries, {len(html) // 1024} KB, scripts: {scripts}"
        )
    logging.disable(logging.NOTSET)
    return found


def main() -> int:
    from bench.push.run import cpu_seconds

    parser = options(__doc__, parse=False)
    parser.add_argument("--changes", type=int, default=1, help="people changing things meanwhile")
    # As in a deployment up for a while: each process has rendered the parts its readers ask for.
    parser.set_defaults(warm_up=30)
    args = parser.parse_args()
    with serving(args, "Page budget") as (world, pids):
        pages = inspect_pages(world)
        ports = world["ports"]
        recorder, seconds, cpu = asyncio.run(
            load(
                args,
                ports,
                lambda: sum(map(cpu_seconds, pids)),
                partial(person_in_a_crisis, world=world, changes=args.changes),
            )
        )
        floor_recorder, floor_seconds = asyncio.run(
            floor_load(args, ports, FLOOR_PATH, world["executives"][0])
        )

    print(f"  per page, ms ({seconds:.0f} s measured):")
    _, errors = report(recorder, seconds, floor_recorder, floor_seconds, cpu, f"static file {FLOOR_PATH}")
    floor_p95 = percentile(floor_recorder.latencies["floor"], 95)
    print(f"  budget: p95 ≤ {TARGET_P95_MS} ms per page")
    for name, samples in sorted(recorder.latencies.items()):
        if name not in pages:  # the changes
            continue
        p95 = percentile(samples, 95)
        verdict = "met" if p95 <= TARGET_P95_MS else "MISSED"
        print(f"  {name:32s} p95 {p95:6.1f} ms  ×{p95 / floor_p95:5.1f} the floor  {verdict}; {pages[name]}")
    return conclude(errors)


if __name__ == "__main__":
    sys.exit(main())
