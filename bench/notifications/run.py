"""How much notify() costs the caller (a timer, a service), and how fast e-mail deliveries go.

    .venv/bin/python bench/notifications/run.py

Runs on a throw-away SQLite database (or DATABASE_URL if set); needs no Redis: the caller's
transaction is rolled back, so nothing is queued, which is exactly the part a timer waits for.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
scratch = tempfile.mkdtemp(prefix="riskops-bench-notifications-")
os.environ.setdefault("RISKOPS_VAR_DIR", scratch)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from incidents.happenings import ESCALATION_FIRED  # noqa: E402
from notifications.models import Delivery  # noqa: E402
from notifications.services import delivery_send, notify  # noqa: E402
from people.models import User  # noqa: E402

ROUNDS = 30
TITLE = _("A task is overdue")
KIND = ESCALATION_FIRED.notification
RUN = Path(scratch).name.rsplit("-", 1)[-1]  # people are new on every run, on any database


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def main():
    call_command("migrate", verbosity=0)
    people = User.objects.bulk_create(
        User(username=f"bench-{RUN}-{n}", email=f"bench-{n}@example.com", language=("en", "zh-hans")[n % 2])
        for n in range(500)
    )
    print(f"database: {connection.vendor}; rounds per size: {ROUNDS}")
    print("recipients  p50 ms  p95 ms  queries")
    for size in (1, 10, 100, 500):
        timings = []
        for _round in range(ROUNDS):
            with CaptureQueriesContext(connection) as queries, transaction.atomic():
                started = time.perf_counter()
                notify(recipients=people[:size], kind=KIND, title=TITLE, incident_id=1)
                timings.append((time.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        print(f"{size:>10}  {p50:6.2f}  {p95:6.2f}  {len(queries):7}")

    # The benchmark sends the deliveries itself, one after another, as one worker would.
    with mock.patch("notifications.services.deliveries_enqueue"):
        notify(recipients=people, kind=KIND, title=TITLE)
    delivery_ids = list(
        Delivery.objects.filter(notification__recipient__in=people).values_list("pk", flat=True)
    )
    started = time.perf_counter()
    for delivery_id in delivery_ids:
        delivery_send(delivery_id=delivery_id)
    elapsed = time.perf_counter() - started
    print(f"e-mail deliveries (locmem backend, one worker): {len(delivery_ids) / elapsed:.0f}/s")


if __name__ == "__main__":
    main()
