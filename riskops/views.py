from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
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
