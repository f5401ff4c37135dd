"""The Celery app, its queues, the queue of every task (by its name) and the one beat schedule."""

import contextlib
import functools
import os

from celery import Celery
from celery.beat import PersistentScheduler
from celery.worker.consumer import Consumer
from kombu import Exchange, Queue

from core.heartbeat import record_beat_tick

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")

app = Celery("riskops")
app.config_from_object("django.conf:settings", namespace="CELERY")

# Time-critical work (firing timers) has a queue of its own, so a backlog of
# notifications or imports never delays an escalation.
TIMERS_QUEUE = "timers"
DEFAULT_QUEUE = "default"
app.conf.task_queues = [
    Queue(name, Exchange(name), routing_key=name) for name in (TIMERS_QUEUE, DEFAULT_QUEUE)
]
# Every task's queue, by the task's name: apps send tasks by name and never name a queue.
app.conf.task_routes = {
    "incidents.fire_timers": {"queue": TIMERS_QUEUE},
    "incidents.sweep_timers": {"queue": TIMERS_QUEUE},
    "incidents.sweep_on_call": {"queue": TIMERS_QUEUE},
    "indicators.flag_missing_readings": {"queue": DEFAULT_QUEUE},
    "integrations.check_heartbeats": {"queue": DEFAULT_QUEUE},
    "notifications.deliver": {"queue": DEFAULT_QUEUE},
    "notifications.repeat_unacknowledged": {"queue": TIMERS_QUEUE},
    "notifications.requeue_stalled_deliveries": {"queue": DEFAULT_QUEUE},
    "oncall.tell_hand_offs": {"queue": DEFAULT_QUEUE},
    "oncall.warn_ahead": {"queue": DEFAULT_QUEUE},
    "reports.send_due_digests": {"queue": DEFAULT_QUEUE},
    "reviews.remind_follow_ups": {"queue": DEFAULT_QUEUE},
    "risks.lapse_acceptances": {"queue": TIMERS_QUEUE},
    "risks.remind_overdue": {"queue": DEFAULT_QUEUE},
    "risks.run_import": {"queue": DEFAULT_QUEUE},
    "riskops.purge_expired_data": {"queue": DEFAULT_QUEUE},
}

# The one beat schedule. Apps add their periodic work here, nowhere else.
app.conf.beat_schedule = {
    # KRIs whose expected reading did not come: each owner told once per missed period.
    "indicators-flag-missing-readings": {"task": "indicators.flag_missing_readings", "schedule": 60.0},
    # Heartbeats whose ping did not come: each missed period recorded once as a reading of its KRI.
    "integrations-check-heartbeats": {"task": "integrations.check_heartbeats", "schedule": 60.0},
    # Overdue risk reviews and treatment actions: each owner told once.
    "risks-remind-overdue": {"task": "risks.remind_overdue", "schedule": 60},
    # Risk acceptances whose expiry has come lapse (the acceptance row is the timer; each lapses once).
    "risks-lapse-acceptances": {
        "task": "risks.lapse_acceptances",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Sends messages for due timers that are still pending: the safety net under the fast path.
    "sweep-timers": {"task": "incidents.sweep_timers", "schedule": 1.0, "options": {"expires": 5}},
    # Open tasks whose team's on-call person changed are handed to the new one (every second: a
    # drill at clock rate 3600 changes hourly shifts every second).
    "sweep-on-call": {"task": "incidents.sweep_on_call", "schedule": 1.0, "options": {"expires": 5}},
    "requeue-stalled-deliveries": {"task": "notifications.requeue_stalled_deliveries", "schedule": 60.0},
    # Notices about a task nobody acknowledged, told again as each person's rule says (the row is the timer).
    "repeat-unacknowledged": {
        "task": "notifications.repeat_unacknowledged",
        "schedule": 5.0,
        "options": {"expires": 5},
    },
    # On call: each shift's person told when it starts (with what is open) and when it ends, once.
    "oncall-tell-hand-offs": {"task": "oncall.tell_hand_offs", "schedule": 60.0, "options": {"expires": 55}},
    # On call: gaps and unreachable people of the coming week, each warned about once.
    "oncall-warn-ahead": {"task": "oncall.warn_ahead", "schedule": 300.0, "options": {"expires": 290}},
    # Follow-up actions of post-incident reviews: their owners reminded once at due, once overdue.
    "reviews-remind-follow-ups": {"task": "reviews.remind_follow_ups", "schedule": 60.0},
    # Executive digests: each person's sent once per local day, at their hour (the row is the timer).
    "reports-send-due-digests": {
        "task": "reports.send_due_digests",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Data retention (riskops/retention.py): read notifications and old KRI readings, once an hour.
    "purge-expired-data": {"task": "riskops.purge_expired_data", "schedule": 3600.0},
}

app.autodiscover_tasks()


class HeartbeatScheduler(PersistentScheduler):
    """The default scheduler, recording in Redis when it last ticked (read by /healthz), and
    reconnecting to the broker at a bounded pace like the worker."""

    def _ensure_connected(self):
        with prompt_reconnection(self.connection):
            return super()._ensure_connected()

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        try:
            record_beat_tick()
        except Exception:  # noqa: BLE001 - a broker outage must not stop the scheduler
            pass
        return interval


# How a worker and beat reconnect to the broker: at once, then after 0.25 s, then every 0.5 s.
RECONNECT_INTERVALS = {"interval_start": 0, "interval_step": 0.25, "interval_max": 0.5}


@contextlib.contextmanager
def prompt_reconnection(connection):
    """Within it, `connection.ensure_connection` waits RECONNECT_INTERVALS between attempts.

    Celery's worker consumer and beat call kombu's `ensure_connection` with kombu's defaults, a
    wait that grows by 2 s per attempt up to 30 s, so after a 20 s outage beat sent its next sweep
    and the worker took it 2-11 s after Redis was back, and timers fired that late. Celery has no
    setting for those intervals; this passes them.
    """
    connection.ensure_connection = functools.partial(connection.ensure_connection, **RECONNECT_INTERVALS)
    try:
        yield
    finally:
        del connection.ensure_connection  # the instance attribute; the class's method is back


class PromptReconnectConsumer(Consumer):
    """Celery's worker consumer, reconnecting to the broker at a bounded pace."""

    def ensure_connected(self, conn):
        with prompt_reconnection(conn):
            return super().ensure_connected(conn)
