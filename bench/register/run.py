"""Register benchmark: 10,000 risks; list page p95, heat map p95, a 10,000-row import; the floor.

    .venv/bin/python bench/register/run.py          # SQLite (a file of its own under var/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskops_bench_register \
        .venv/bin/python bench/register/run.py

It builds a fresh database, times the API in-process (Django's test client, token auth, no network)
and prints its figures next to the machine's floor (a bare `SELECT 1` and an empty API request).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
# Connections kept between requests, as a production deployment would (DATABASE_CONN_MAX_AGE).
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-register.sqlite3'}"
    (ROOT / "var" / "bench-register.sqlite3").unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

RISKS = 10_000
RUNS = 200


def p95(samples):
    return statistics.quantiles(samples, n=20)[-1]


def timed(call, runs=RUNS):
    call()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), p95(samples)


def main():
    setup_test_environment()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if engine != "sqlite3":
        # A clean slate on the server database named by DATABASE_URL.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    from bench.register.register_file import register_csv
    from people.models import Role
    from people.services import user_create
    from risks.importing import import_register

    officer = user_create(
        by=None, username="bench-officer", password="Correct-Horse-42", role=Role.RISK_OFFICER
    )
    owners = [
        user_create(by=None, username=f"owner{n}", password="Correct-Horse-42", role=Role.RESPONDER).username
        for n in range(20)
    ]
    content = register_csv(owners, RISKS)

    start = time.perf_counter()
    report = import_register(content=content, filename="bench.csv", by=officer)
    import_seconds = time.perf_counter() - start
    assert report.created == RISKS and not report.errors, report.errors[:3]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return call

    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        get("/api/v1/risks/?limit=50")()
    floor_sql = timed(lambda: connection.cursor().execute("SELECT 1"))
    floor_api = timed(get("/api/v1/risk-categories/"))
    list_first = timed(get("/api/v1/risks/?limit=50"))
    list_deep = timed(get("/api/v1/risks/?limit=50&offset=9000&ordering=-score"))
    list_filtered = timed(get("/api/v1/risks/?limit=50&level=high&category=financial&search=supplier"))
    heat = timed(get("/api/v1/risks/heatmap/"))
    heat_residual = timed(get("/api/v1/risks/heatmap/?rating=residual"))

    print(f"register benchmark · {engine} · {RISKS} risks · {RUNS} requests each (median / p95, ms)")
    print("  load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"  floor: SELECT 1                       {floor_sql[0]:7.2f} / {floor_sql[1]:7.2f}")
    print(f"  floor: tiny authenticated API request {floor_api[0]:7.2f} / {floor_api[1]:7.2f}")
    label = f"list, page of 50 ({len(queries)} queries)"
    print(f"  {label:37} {list_first[0]:7.2f} / {list_first[1]:7.2f}   target ≤ 50")
    print(f"  list, offset 9000, ordered by score   {list_deep[0]:7.2f} / {list_deep[1]:7.2f}")
    print(f"  list, level+category+search           {list_filtered[0]:7.2f} / {list_filtered[1]:7.2f}")
    print(f"  heat map, inherent                    {heat[0]:7.2f} / {heat[1]:7.2f}   target ≤ 30")
    print(f"  heat map, residual                    {heat_residual[0]:7.2f} / {heat_residual[1]:7.2f}")
    print(f"  import of {RISKS} CSV rows: {import_seconds:.2f} s   target ≤ 30 s")


if __name__ == "__main__":
    main()
