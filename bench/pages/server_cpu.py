"""The server's CPU for one page at a time: one Uvicorn process, one person asking again as soon
as answered, so nothing queues and nothing else shares the process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_bench_pages \
        .venv/bin/python bench/pages/server_cpu.py --keep var/bench-pages.json
    .venv/bin/python bench/pages/server_cpu.py --requests 300          # SQLite

The data and the server are bench/api's (as bench/pages/run.py, whose --keep FILE this reuses);
the pages are bench/pages/render_cpu.py's, each asked --requests times in a row after a few to
fill its process's kept parts. Prints, per page, the process's CPU per request and its event loop
thread's share of it (reading and writing HTTP and the ASGI application's own steps; the page
itself runs on the process's page threads, riskops/asgi.py), against the floor measured in the
same run: a static file through the same middleware. Set beside render_cpu.py's in-process CPU,
the difference is what serving the page over HTTP costs.
"""

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ.setdefault("RISKOPS_VAR_DIR", tempfile.mkdtemp(prefix="bench-server-cpu-"))

from bench.api.run import Connection, options, serving  # noqa: E402
from bench.pages.render_cpu import pages  # noqa: E402
from bench.push.run import cpu_seconds  # noqa: E402

WARM = 5
FLOOR_PATH = "/static/js/menu.js"


def thread_cpu_seconds(pid: int) -> float:
    """CPU time of a process's main thread, where Uvicorn runs its event loop (Linux)."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def asked(port: int, pid: int, path: str, cookie: dict, requests: int) -> tuple[float, float, float]:
    """(CPU ms a request, of which the event loop's, wall ms a request)."""
    connection = Connection(port)
    for _ in range(WARM):
        status, body = await connection.request("GET", path, cookie)
        assert status == 200, (path, status, body[:200])
    cpu, loop, wall = cpu_seconds(pid), thread_cpu_seconds(pid), time.perf_counter()
    for _ in range(requests):
        status, _ = await connection.request("GET", path, cookie)
        assert status == 200, (path, status)
    wall = time.perf_counter() - wall
    per = 1000 / requests
    return (cpu_seconds(pid) - cpu) * per, (thread_cpu_seconds(pid) - loop) * per, wall * per


def main() -> int:
    parser = options(__doc__, parse=False)
    parser.add_argument("--requests", type=int, default=500, help="of each page, one after another")
    parser.set_defaults(servers=1, clients=1, think=0)
    args = parser.parse_args()
    with serving(args, "Server CPU, one page at a time") as (world, pids):
        port, pid = world["ports"][0], pids[0]
        measured = {"floor: static file": (FLOOR_PATH, world["executives"][0])} | pages(world)
        for name, (path, cookie) in measured.items():
            cpu, loop, wall = asyncio.run(asked(port, pid, path, cookie, args.requests))
            print(
                f"  {name:26s} server CPU {cpu:6.2f} ms a request (event loop {loop:5.2f} ms), "
                f"wall {wall:6.2f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
