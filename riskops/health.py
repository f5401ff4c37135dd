"""What /healthz reports (the database, Redis, a live Celery worker and a recent beat tick) and
what /readyz reports (this process may take traffic: migrations applied, database and Redis up)."""

import time

import redis
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.heartbeat import BEAT_HEARTBEAT_KEY
from riskops.celery import app as celery_app

BEAT_STALE_AFTER = 30  # seconds; beat ticks at least every CELERY_BEAT_MAX_LOOP_INTERVAL
CHECK_TIMEOUT = 1.0


def _redis_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
    )


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis() -> None:
    _redis_client().ping()


def check_worker() -> None:
    replies = celery_app.control.ping(timeout=CHECK_TIMEOUT, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker answered")


def check_beat() -> None:
    last = _redis_client().get(BEAT_HEARTBEAT_KEY)
    if last is None:
        raise RuntimeError("beat has never ticked")
    age = time.time() - float(last)
    if age > BEAT_STALE_AFTER:
        raise RuntimeError(f"beat last ticked {age:.0f} s ago")


_migrated = False


def check_migrations() -> None:
    """Every migration applied. Once true it stays true for the life of the process."""
    global _migrated
    if _migrated:
        return
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        raise RuntimeError(f"{len(unapplied)} migrations not applied, e.g. {unapplied[0][0]}")
    _migrated = True


CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
    "beat": check_beat,
}


# A check whose prerequisite is down is not run: its state is unknown, for this reason.
UNKNOWN_WHEN_DOWN = {
    "worker": ("redis", "unknown: redis is down"),
    "beat": ("redis", "unknown: redis is down"),
    "migrations": ("database", "unknown: the database is down"),
}


def run_checks(checks: dict) -> dict[str, str]:
    """Each check's state, in order: "ok", or what is wrong with it."""
    results = {}
    for name, check in checks.items():
        prerequisite, unknown = UNKNOWN_WHEN_DOWN.get(name, (None, ""))
        if prerequisite and results.get(prerequisite) != "ok":
            results[name] = unknown
            continue
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
            results[name] = f"down: {error}"
        else:
            results[name] = "ok"
    return results


def system_health() -> dict[str, str]:
    """Each component's state: "ok", or what is wrong with it."""
    return run_checks(CHECKS)


READINESS_CHECKS = {"database": check_database, "migrations": check_migrations, "redis": check_redis}


def readiness() -> dict[str, str]:
    """What a load balancer asks before sending traffic to this process."""
    return run_checks(READINESS_CHECKS)
