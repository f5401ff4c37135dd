import sys

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from riskops.health import readiness, system_health
from riskops.metrics import exposition

LOOPBACK = {"127.0.0.1", "::1"}
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


@never_cache
def healthz(request):
    """200 when the database, Redis, a Celery worker and beat all answer; 503 naming what is down."""
    components = system_health()
    healthy = all(state == "ok" for state in components.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "components": components},
        status=200 if healthy else 503,
    )


@never_cache
def readyz(request):
    """200 when this process can serve: migrations applied, database and Redis reachable; else 503.

    Unlike /healthz it does not ask for workers or beat: a web process without them still serves.
    """
    checks = readiness()
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503
    )


def _may_scrape(request) -> bool:
    """With RISKOPS_METRICS_TOKEN set, its bearer only; unset, only a client on this host that did
    not come through a proxy."""
    if settings.METRICS_TOKEN:
        return constant_time_compare(
            request.headers.get("Authorization", ""), f"Bearer {settings.METRICS_TOKEN}"
        )
    return request.META.get("REMOTE_ADDR") in LOOPBACK and not any(h in request.META for h in PROXY_HEADERS)


@never_cache
def metrics(request):
    """Prometheus metrics (riskops/metrics.py)."""
    if not _may_scrape(request):
        return JsonResponse({"detail": _("Metrics need the metrics token.")}, status=403)
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


@login_required
def home(request):
    return render(request, "home.html")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception):
    """A path under /api/ that names nothing answers in the API's error shape, not an HTML page."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


DATABASE_RETRY_SECONDS = 5
# Redis (tickets, the live layer, beat's tick) is out: as with the database, an outage, not a bug.
REDIS_OUTAGES = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)


def server_error(request):
    """500; but 503 with Retry-After when the database or Redis could not be reached (an outage,
    not a bug)."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError, *REDIS_OUTAGES)):
        if isinstance(error, REDIS_OUTAGES):
            detail = _("The live service cannot be reached. Try again in a few seconds.")
        else:
            detail = _("The database cannot be reached. Try again in a few seconds.")
        if _is_api(request):
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    if _is_api(request):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    return defaults.server_error(request)
