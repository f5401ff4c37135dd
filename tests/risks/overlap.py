"""Two writers that really overlap on PostgreSQL: the first holds its transaction open until the
second is seen waiting for a row lock (SQLite locks the whole database, so these tests skip it)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

WAIT = 10  # seconds a thread may wait for the other before the test fails
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")


def someone_waits_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        # Within a transaction PostgreSQL keeps its first look at pg_stat_activity: take a new one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def at_once(first, second) -> tuple[dict, list[Exception]]:
    """Runs `first()` in a transaction kept open until `second()`, started once `first()` returned,
    waits for a lock (or returned without waiting: it skipped the locked rows). Returns what each
    returned ({"first": …, "second": …}) and what they raised."""
    results, errors = {}, []
    first_holds, second_done = threading.Event(), threading.Event()

    def run_first():
        try:
            with transaction.atomic():
                results["first"] = first()
                first_holds.set()
                for _ in range(WAIT * 20):
                    if second_done.is_set() or someone_waits_for_a_lock():
                        break
                    time.sleep(0.05)
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            first_holds.set()
            connection.close()

    def run_second():
        try:
            assert first_holds.wait(WAIT)
            results["second"] = second()
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    return results, errors
