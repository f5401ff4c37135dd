"""Bulk ingestion of KRI readings through the API, bands and rules evaluated: readings per second.

Run: env -u DATABASE_URL -u REDIS_URL .venv/bin/python bench/kri/run.py   (SQLite in a temp file)
or with DATABASE_URL=postgres://… for PostgreSQL (a database it may create and drop).

Posts BATCHES lists of BATCH readings to POST /api/v1/kris/readings/ in-process (Django's test
client, token auth, no network) over three KRIs, one per rule (threshold, change against the
previous reading, N consecutive readings), mostly green with an excursion every 500 readings so
that breaches open, act and close as in life. Prints the rate and the queries per request next
to the floor measured in the same run: the same readings written by a bare `bulk_create` (no
API, no bands, no rules) and a database round trip. Exits 1 below the target of 2,000/s.

Then the early warning itself: RED_RUNS times, a red reading of a KRI that opens an incident
(its linked risk's published playbook, 3 steps) is posted, and the time until the answer naming
the incident is measured (the readings in between bring the KRI back to green). Timers and live
events go to a private redis-server the benchmark starts, as the system's would.
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ.setdefault("RISKOPS_VAR_DIR", tempfile.mkdtemp(prefix="bench-kri-"))

TARGET = 2000
BATCH, BATCHES = 1000, 10
RED_RUNS = 20


def main() -> int:
    from riskops.embedded_redis import EmbeddedRedis

    redis = EmbeddedRedis(Path(os.environ["RISKOPS_VAR_DIR"]) / "redis").start()
    os.environ["REDIS_URL"] = redis.url
    try:
        return bench()
    finally:
        redis.stop()


def bench() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    runner = get_runner(settings)(verbosity=0, interactive=False)  # a test database left over is replaced
    old = runner.setup_databases()
    try:
        return run()
    finally:
        runner.teardown_databases(old)


def run() -> int:
    from django.db import connection
    from django.utils import timezone
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from indicators import services
    from indicators.models import KRI, Breach, Reading
    from people.models import Role
    from people.services import user_create

    officer = user_create(
        by=None, username="bench", password="Bench-Password-42", role=Role.RISK_OFFICER, teams=[]
    )
    common = {"by": None, "owner": officer, "on_red": "notify"}
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
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
    now = timezone.now()
    start = now - dt.timedelta(seconds=BATCH * (BATCHES + 1) + 10)
    # Mostly green, with an excursion every 500 readings: breaches open, act and close as in life.
    values = [72 + (i % 7) for i in range(500)]
    values[250:254] = [85, 95, 60, 60]

    def body(batch: int) -> list[dict]:
        return [
            {
                "kri": kris[i % len(kris)].pk,
                "value": values[i % len(values)],
                "measured_at": (start + dt.timedelta(seconds=batch * BATCH + i)).isoformat(),
            }
            for i in range(BATCH)
        ]

    def post(batch: int) -> tuple[float, int]:
        """Seconds the request took, and the queries it made."""
        data, statements = body(batch), []
        began = time.perf_counter()
        with connection.execute_wrapper(lambda execute, *args: statements.append(1) or execute(*args)):
            response = client.post("/api/v1/kris/readings/", data, format="json")
        seconds = time.perf_counter() - began
        assert response.status_code == 201, response.content[:500]
        return seconds, len(statements)

    post(0)  # warm: imports, translations, the first statements compiled
    elapsed, queries = 0.0, []
    for batch in range(1, BATCHES + 1):
        seconds, count = post(batch)
        elapsed += seconds
        queries.append(count)
    total = BATCH * BATCHES
    rate = total / elapsed

    # The floor: the same number of readings of one spare KRI, written by a bare bulk_create.
    spare = services.kri_create(name="floor", direction="higher_is_worse", amber=80, red=90, **common)
    rows = [
        Reading(
            kri=spare, value=1, band="green", measured_at=start + dt.timedelta(seconds=i), recorded_at=now
        )
        for i in range(total)
    ]
    began = time.perf_counter()
    for first in range(0, total, BATCH):
        Reading.objects.bulk_create(rows[first : first + BATCH], batch_size=BATCH)
    bare_rate = total / (time.perf_counter() - began)
    round_trips = []
    for _ in range(200):
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        round_trips.append((time.perf_counter() - began) * 1000)

    print(f"KRI bulk ingestion · {connection.vendor} · load average {os.getloadavg()[0]:.1f}")
    print(f"  readings: {total:,} in {BATCHES} POST /api/v1/kris/readings/ of {BATCH}, over {len(kris)} KRIs")
    print(f"  breaches opened: {Breach.objects.count()}; KRIs: {KRI.objects.count() - 1}")
    print(f"  queries per request: {min(queries)}–{max(queries)} (a breach opening or closing adds its own)")
    print(f"  time: {elapsed:.2f} s  →  {rate:,.0f} readings/s   target ≥ {TARGET:,}/s")
    print(f"  floor: bare bulk_create of the same readings  {bare_rate:,.0f} readings/s")
    print(f"  floor: database round trip (SELECT 1)          {statistics.median(round_trips):.3f} ms median")
    opened = red_reading_to_incident(client, officer, start)
    print(
        f"  red reading → incident opened, in the answer: median {statistics.median(opened):.0f} ms, "
        f"max {max(opened):.0f} ms over {RED_RUNS} breaches"
    )
    return 0 if rate >= TARGET else 1


def red_reading_to_incident(client, officer, start: dt.datetime) -> list[float]:
    """Milliseconds from posting a red reading to the answer naming the incident it opened."""
    from indicators import services
    from playbooks.services import playbook_create, playbook_publish
    from risks import services as risks
    from risks.models import Category

    risks.categories_ensure_default()
    risks.matrix_ensure_default()
    step = {"tier": "T1", "due_after": "PT1H", "escalate_after": "PT30M"}
    raci = {"responsible": [{"user": officer.pk}], "accountable": {"user": officer.pk}}
    spec = {
        "name": "Outage plan",
        "tiers": [{"key": "T1", "name": "Tier 1", "starts_after": "PT0S", "ends_after": None}],
        "steps": [{**step, "order": order, "title": f"Step {order}", "raci": raci} for order in (1, 2, 3)],
    }
    playbook = playbook_publish(playbook=playbook_create(spec=spec, created_by=officer), by=officer)
    risk = risks.risk_create(
        by=officer,
        title="Daily active users swing",
        category=Category.objects.get(key="market"),
        owner=officer,
        likelihood=3,
        impact=4,
        playbook=playbook,
    )
    kri = services.kri_create(
        by=None,
        name="DAU",
        direction="lower_is_worse",
        amber=110,
        red=100,
        on_red="open_incident",
        owner=officer,
        risks=[risk],
    )
    url, samples = f"/api/v1/kris/{kri.pk}/readings/", []
    for run in range(RED_RUNS):
        green = {"value": 120, "measured_at": (start + dt.timedelta(seconds=2 * run)).isoformat()}
        red = {"value": 90, "measured_at": (start + dt.timedelta(seconds=2 * run + 1)).isoformat()}
        assert client.post(url, green, format="json").status_code == 201
        began = time.perf_counter()
        response = client.post(url, red, format="json")
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 201 and response.json()["incident"], response.content[:500]
    return samples


if __name__ == "__main__":
    sys.exit(main())
