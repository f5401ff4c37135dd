"""Bulk ingestion of KRI readings, bands and rules evaluated: readings per second.

Run: env -u DATABASE_URL -u REDIS_URL .venv/bin/python bench/kri/run.py   (SQLite in a temp file)
or with DATABASE_URL=postgres://… for PostgreSQL (a database it may create and drop).
Prints the figures and the floor (2,000 readings per second); exits 1 below it.
"""

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ.setdefault("RISKOPS_VAR_DIR", tempfile.mkdtemp(prefix="bench-kri-"))

FLOOR = 2000
BATCH, BATCHES = 1000, 10


def main() -> int:
    import django

    django.setup()
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(django.conf.settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        return run()
    finally:
        runner.teardown_databases(old)


def run() -> int:
    from django.utils import timezone

    from indicators import services
    from people.models import Role
    from people.services import user_create

    officer = user_create(username="bench", password="Bench-Password-42", role=Role.RISK_OFFICER, teams=[])
    common = {"owner": officer, "on_red": "notify"}
    kris = [
        services.kri_create(name="threshold", direction="higher_is_worse", amber=80, red=90, **common),
        services.kri_create(
            name="change", direction="lower_is_worse", amber=10, red=15,
            rule={"type": "change", "baseline": "previous", "either_way": True}, **common,
        ),
        services.kri_create(
            name="consecutive", direction="lower_is_worse", amber=70, red=65,
            rule={"type": "consecutive", "count": 3}, **common,
        ),
    ]  # fmt: skip
    now = timezone.now()
    start = now - dt.timedelta(seconds=BATCH * BATCHES * len(kris) + 10)
    # Mostly green, with an excursion every 500 readings: breaches open, act and close as in life.
    values = [72 + (i % 7) for i in range(500)]
    values[250:254] = [85, 95, 60, 60]
    total, elapsed = 0, 0.0
    for batch in range(BATCHES):
        entries = [
            services.ReadingInput(
                kri=kris[i % len(kris)],
                value=values[i % len(values)],
                measured_at=start + dt.timedelta(seconds=batch * BATCH + i),
            )
            for i in range(BATCH)
        ]
        began = time.perf_counter()
        services.readings_record(entries=entries, by=officer, now=now)
        elapsed += time.perf_counter() - began
        total += BATCH
    rate = total / elapsed
    from indicators.models import Breach

    print(f"database: {django_engine()}")
    print(f"readings: {total} in {BATCHES} bulk requests of {BATCH}, over {len(kris)} KRIs")
    print(f"breaches opened: {Breach.objects.count()}")
    print(f"time: {elapsed:.2f} s  →  {rate:,.0f} readings/s  (floor {FLOOR:,}/s)")
    return 0 if rate >= FLOOR else 1


def django_engine() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    sys.exit(main())
