"""The CPU one page costs to render, in-process, alone: a quick measure while working on a page.

    .venv/bin/python bench/pages/render_cpu.py              # SQLite (a test database of its own)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_render .venv/bin/python bench/pages/render_cpu.py
    .venv/bin/python bench/pages/render_cpu.py --renders 50 --profile cockpit

bench/api's data, smaller (--risks risks, --incidents incidents of 20 tasks, 60 still live; the
war room's incident with 30 status updates), then each page of bench/pages rendered --renders
times as the person who opens it. Prints the median and the lowest CPU time of this process per
render (the database's own is not in it), which a busy machine disturbs far less than wall time,
and the queries. Each page is measured twice: given the parts kept from the render before (as
most readers are, core/shared_parts.py), and rendered anew (as the first reader after a change).
--profile NAME prints where that page's CPU goes, rendered anew (cProfile, by own time).
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ.setdefault("RISKOPS_VAR_DIR", tempfile.mkdtemp(prefix="bench-render-"))

UPDATES = 30


def pages(world: dict) -> dict:
    incident, commander = next(iter(world["commanders"].items()))
    return {
        "cockpit": ("/dashboard/", world["executives"][0]),
        "cockpit live part": ("/dashboard/?part=live", world["executives"][0]),
        "register": ("/risks/", world["officer_sessions"][1]),
        "risk page": (f"/risks/{world['risks'][0]}/", world["officer_sessions"][1]),
        "war room (commander)": (f"/incidents/{incident}/", commander),
        "war room (responder)": (f"/incidents/{incident}/", world["responders"][3][1]),
    }


@contextmanager
def template_times():
    """{template name: [CPU seconds spent in it, not in the templates it includes; renders]}."""
    from django.template.base import Template

    times, stack, render = defaultdict(lambda: [0.0, 0]), [], Template._render

    def timed(self, context):
        stack.append(0.0)
        started = time.process_time()
        try:
            return render(self, context)
        finally:
            spent = time.process_time() - started
            inner = stack.pop()
            if stack:
                stack[-1] += spent
            times[self.origin.template_name][0] += spent - inner
            times[self.origin.template_name][1] += 1

    Template._render = timed
    try:
        yield times
    finally:
        Template._render = render


def measure(name: str, path: str, cookie: dict, renders: int, profile: bool, save: str | None) -> str:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core import shared_parts

    client = Client()
    client.cookies.load(cookie["Cookie"])
    client.get(path)  # caches filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    # Counted now: the log they are read from lazily is emptied by the next request.
    query_count = len(queries)
    assert response.status_code == 200, (name, response.status_code)
    if save:
        Path(save).mkdir(parents=True, exist_ok=True)
        (Path(save) / f"{name}.html").write_bytes(response.content)
    kept, fresh = [], []
    for _ in range(renders):
        cpu = time.process_time()
        client.get(path)
        kept.append((time.process_time() - cpu) * 1000)
        shared_parts.forget_all()
        cpu = time.process_time()
        client.get(path)
        fresh.append((time.process_time() - cpu) * 1000)
    if profile:
        with template_times() as times:
            for _ in range(10):
                shared_parts.forget_all()
                client.get(path)
        print(f"  {name}: own CPU per render of each template, ms (renders per page)")
        for template, (seconds, count) in sorted(times.items(), key=lambda item: -item[1][0])[:25]:
            print(f"    {seconds * 100:7.2f} ({count / 10:5.0f}) {template}")
        profiler = cProfile.Profile()
        for _ in range(10):
            shared_parts.forget_all()
            profiler.enable()
            client.get(path)
            profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        pstats.Stats(profiler).sort_stats("cumtime").print_stats(60)
    return (
        f"  {name:22s} CPU median, kept {statistics.median(kept):5.1f} ms, rendered anew "
        f"{statistics.median(fresh):5.1f} ms (lowest {min(kept):5.1f}, {min(fresh):5.1f}); "
        f"{query_count} queries, {len(response.content) // 1024} KB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--incidents", type=int, default=100)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--profile", default="", help="pages' names, comma-separated: print their profiles")
    parser.add_argument("--only", default="", help="pages' names, comma-separated: render only these")
    parser.add_argument(
        "--save", metavar="DIR", help="write each page's HTML there, to compare with another run"
    )
    parser.add_argument(
        "--keep",
        metavar="FILE",
        help="keep the database and the people's sessions (in FILE) for the next run, which reuses them",
    )
    args = parser.parse_args()
    if args.keep:  # the same secret key, or the kept sessions are refused
        var = Path(args.keep).with_suffix(".var")
        var.mkdir(exist_ok=True)
        os.environ["RISKOPS_VAR_DIR"] = str(var)

    import logging

    import django

    from riskops.embedded_redis import EmbeddedRedis

    redis = EmbeddedRedis(Path(os.environ["RISKOPS_VAR_DIR"]) / "redis").start()
    os.environ["REDIS_URL"] = redis.url
    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment, teardown_test_environment

    import bench.api.run as api
    from incidents import services
    from incidents.models import Incident

    api.RISKS, api.INCIDENTS = args.risks, args.incidents
    setup_test_environment()
    kept = Path(args.keep) if args.keep else None
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=bool(kept and kept.exists()))
    old = runner.setup_databases()
    try:
        if kept and kept.exists():
            world = json.loads(kept.read_text())
        else:
            world = api.build(argparse.Namespace(clients=10))
            incident = Incident.objects.get(pk=next(iter(world["commanders"])))
            for number in range(UPDATES):
                services.incident_post_update(
                    incident_id=incident.pk, by=incident.commander, body=f"Update {number}"
                )
            if kept:
                shown = ("executives", "officer_sessions", "commanders", "responders", "risks")
                kept.write_text(json.dumps({key: world[key] for key in shown}))
        # Rendered as a server renders them: without the test environment's instrumented
        # templates, whose every render copies its context for the test client.
        teardown_test_environment()
        logging.disable(logging.INFO)
        print(
            f"render CPU · {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]} · "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        for name, (path, cookie) in pages(world).items():
            if args.only and name not in args.only.split(","):
                continue
            print(
                measure(name, path, cookie, args.renders, name in args.profile.split(","), args.save),
                flush=True,
            )
    finally:
        if not kept:
            runner.teardown_databases(old)
        redis.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
