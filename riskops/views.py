from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from riskops.health import system_health


@never_cache
def healthz(request):
    """200 when the database, Redis, a Celery worker and beat all answer; 503 naming what is down."""
    components = system_health()
    healthy = all(state == "ok" for state in components.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "components": components},
        status=200 if healthy else 503,
    )


@login_required
def home(request):
    return render(request, "home.html")
