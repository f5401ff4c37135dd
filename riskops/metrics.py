"""Prometheus metrics, served at /metrics.

Two kinds, chosen for correctness with N ASGI processes and M Celery workers:

- State read at scrape time from the database and Redis (timers pending and overdue, how late
  fired timers fired, escalations, Celery queue depths): the same truth from whichever process
  answers, surviving restarts, with nothing to aggregate across processes or hosts.
- Per-process figures (request latency, open WebSocket streams; their instruments are in
  core/instruments.py) kept by prometheus_client; with PROMETHEUS_MULTIPROC_DIR set (a directory
  shared by the ASGI processes of a host, emptied before they start), its multiprocess mode sums
  every process of the host in one scrape.
"""

import os
import time
from pathlib import Path

import redis
from django.conf import settings
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from core.instruments import REQUEST_LATENCY
from incidents.timer_figures import timer_figures
from riskops.celery import DEFAULT_QUEUE, TIMERS_QUEUE

LATENESS_BUCKETS = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0]
# Celery's Redis transport keeps a queue's messages in a list named after it, plus one list per
# priority step ("\x06\x16" and the step) when priorities are used.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)


class StateCollector:
    """Reads the database and Redis on each scrape."""

    def collect(self):
        up = GaugeMetricFamily(
            "riskops_metrics_source_up", "Whether a source answered this scrape.", labels=["source"]
        )
        for source, read in (("database", self.timers), ("redis", self.queues)):
            try:
                families = list(read())
            except Exception:  # noqa: BLE001 - a source that is down is reported, not raised
                up.add_metric([source], 0)
            else:
                up.add_metric([source], 1)
                yield from families
        yield up

    def timers(self):
        figures = timer_figures(now=timezone.now(), buckets=LATENESS_BUCKETS)
        pending = GaugeMetricFamily(
            "riskops_timers_pending", "Timers not yet fired, by kind.", labels=["kind"]
        )
        for kind, count in figures.pending.items():
            pending.add_metric([kind], count)
        yield pending
        yield GaugeMetricFamily(
            "riskops_timers_overdue",
            "Pending timers more than 10 s past due: the workers or the sweep are behind.",
            value=figures.overdue,
        )
        lateness = HistogramMetricFamily(
            "riskops_timer_lateness_seconds", "How long after its due time each fired timer fired."
        )
        lateness.add_metric(
            [],
            [(str(bound), count) for bound, count in figures.lateness_buckets]
            + [("+Inf", figures.lateness_count)],
            sum_value=figures.lateness_sum,
        )
        yield lateness
        escalations = CounterMetricFamily(
            "riskops_escalations", "Escalations fired, by level.", labels=["level"]
        )
        for level, count in figures.escalations.items():
            escalations.add_metric([str(level)], count)
        yield escalations

    def queues(self):
        depth = GaugeMetricFamily(
            "riskops_celery_queue_depth", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        for queue, count in celery_queue_depths().items():
            depth.add_metric([queue], count)
        yield depth


def celery_queue_depths() -> dict[str, int]:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
    with client.pipeline(transaction=False) as pipe:
        for queue in (TIMERS_QUEUE, DEFAULT_QUEUE):
            pipe.llen(queue)
            for step in PRIORITY_STEPS:
                pipe.llen(f"{queue}{PRIORITY_SEPARATOR}{step}")
        lengths = pipe.execute()
    per_queue = len(PRIORITY_STEPS) + 1
    return {
        queue: sum(lengths[index * per_queue : (index + 1) * per_queue])
        for index, queue in enumerate((TIMERS_QUEUE, DEFAULT_QUEUE))
    }


def per_process_exposition() -> bytes:
    """The figures kept by the processes: this one, or every one of the host in multiprocess mode."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return generate_latest(REGISTRY)
    _forget_dead_processes(directory)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return generate_latest(registry)


def _forget_dead_processes(directory: str) -> None:
    """A process that died keeps its files; its open WebSocket streams must stop counting."""
    for path in Path(directory).glob("gauge_live*_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            mark_process_dead(pid, directory)
        except PermissionError:
            pass  # alive, another user's


def exposition() -> bytes:
    """Every metric in Prometheus' text format."""
    state = CollectorRegistry()
    state.register(StateCollector())
    return per_process_exposition() + generate_latest(state)


class RequestLatencyMiddleware:
    """Times every request; labelled by the URL pattern, never the raw path (bounded cardinality)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "unmatched"
        REQUEST_LATENCY.labels(request.method, route, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response
