"""The per-process Prometheus instruments that code anywhere updates; /metrics serves them.

With PROMETHEUS_MULTIPROC_DIR set, prometheus_client keeps their values in files shared by the
host's processes, so one scrape sums them all.
"""

from prometheus_client import Gauge, Histogram

REQUEST_LATENCY = Histogram(
    "riskops_http_request_duration_seconds",
    "Time to answer an HTTP request, by route pattern, method and status class.",
    ["method", "route", "status"],
)
WEBSOCKET_CONNECTIONS = Gauge(
    "riskops_websocket_connections",
    "Open WebSocket streams (signed in and allowed).",
    multiprocess_mode="livesum",
)
