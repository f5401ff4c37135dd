"""Each role lands where its work is: the executive on the cockpit, a responder on what needs them,
a risk officer on the register's attention list, an administrator on the system's health."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.shortlist import Shortlist
from incidents.page_queries import my_tasks
from incidents.selectors import incidents_i_am_in, pending_timers
from indicators.selectors import kris_not_green
from notifications.selectors import deliveries_failed, notifications_for, unread_count
from people.models import Role
from riskops.health import system_health
from risks import attention
from risks.selectors import actions_overdue

FAILED_DELIVERIES_SINCE = dt.timedelta(days=7)


@dataclass(frozen=True)
class Component:
    name: str
    when_down: str  # what people notice while it is down


COMPONENTS = {
    "database": Component(_("Database"), _("Nothing can be read or saved.")),
    "redis": Component(
        _("Redis (broker and live updates)"),
        _("Timers wait and live pages stop updating until it answers."),
    ),
    "worker": Component(
        _("Celery worker (timers, notifications)"), _("Timers do not fire and notifications are not sent.")
    ),
    "beat": Component(
        _("Celery beat (schedules)"),
        _("Scheduled checks (overdue reviews, missed readings, the timer sweep) do not run."),
    ),
}


def _what_needs_me(request, now: dt.datetime) -> dict:
    tasks = list(my_tasks(user=request.user).select_related("tier"))
    return {
        "overdue_tasks": [task for task in tasks if task.due_at < now],
        "upcoming_tasks": [task for task in tasks if task.due_at >= now],
        "incidents": list(incidents_i_am_in(user=request.user)),
        "notices": Shortlist.of(
            notifications_for(user=request.user, unread=True), reverse("notification-inbox")
        ),
        "unread": unread_count(user=request.user),
    }


def _attention_list(now: dt.datetime) -> dict:
    return {
        "reviews_overdue": attention.reviews_overdue(now=now),
        "above_appetite": attention.above_appetite(now=now),
        "treatment_to_decide": attention.treatment_to_decide(now=now),
        "kris": Shortlist.of(kris_not_green(), reverse("kri-list")),
        "actions_overdue": Shortlist.of(actions_overdue(now=now)),
    }


def _system_health(now: dt.datetime) -> dict:
    states = system_health()
    return {
        "components": [(COMPONENTS[name], state) for name, state in states.items()],
        "healthy": all(state == "ok" for state in states.values()),
        "failed_deliveries": Shortlist.of(deliveries_failed(since=now - FAILED_DELIVERIES_SINCE)),
        "timers": pending_timers(now=now),
    }


@login_required
def home(request):
    user = request.user
    now = timezone.now()
    if user.role == Role.EXECUTIVE and not user.is_admin:
        return redirect("dashboard")
    context = {"now": now, "work": _what_needs_me(request, now)}
    if user.is_admin:
        context["health"] = _system_health(now)
        return render(request, "landing/administrator.html", context)
    if user.role == Role.RISK_OFFICER:
        context["attention"] = _attention_list(now)
        return render(request, "landing/risk_officer.html", context)
    return render(request, "landing/responder.html", context)
