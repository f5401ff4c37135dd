"""Reads of incidents, each scoped to what the person may see."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from incidents.models import (
    Incident,
    Task,
    TaskAssignment,
    TaskState,
    TimelineEntry,
    Timer,
    TimerKind,
    TimerState,
)
from incidents.transitions import LIVE_STATUSES
from playbooks.models import RaciRole
from risks.models import Risk


def involving(user, *, roles=None) -> Q:
    """Task assignments naming the person or one of their teams (optionally only some RACI roles)."""
    condition = Q(user=user) | Q(team__memberships__user=user)
    if roles:
        condition &= Q(role__in=roles)
    return condition


def incidents_visible_to(user) -> QuerySet[Incident]:
    """Admins, executives and risk officers see all; a responder, those they command or appear in."""
    incidents = Incident.objects.all()
    if user.sees_everything:
        return incidents
    named = TaskAssignment.objects.filter(involving(user), task__incident=OuterRef("pk"))
    return incidents.filter(Q(commander=user) | Exists(named))


def with_next_tier_at(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    next_tier = Timer.objects.filter(
        incident=OuterRef("pk"), kind=TimerKind.TIER_START, state=TimerState.PENDING
    ).order_by("due_at")
    return incidents.annotate(next_tier_at=Subquery(next_tier.values("due_at")[:1]))


def tasks_with_raci(*, names: bool = False) -> QuerySet[Task]:
    """Tasks with their tier and RACI; `names` loads each party's team or person too (for pages)."""
    assignments = TaskAssignment.objects.all()
    if names:
        assignments = assignments.select_related("team", "user")
    return Task.objects.select_related("tier").prefetch_related(Prefetch("assignments", queryset=assignments))


def incident_list(*, user, status: str | None = None, drill: bool | None = None) -> QuerySet[Incident]:
    """Live incidents first, newest first within each group."""
    incidents = with_next_tier_at(incidents_visible_to(user)).select_related(
        "current_tier", "playbook", "commander"
    )
    if status:
        incidents = incidents.filter(status=status)
    if drill is not None:
        incidents = incidents.filter(drill=drill)
    live_first = Q(status__in=LIVE_STATUSES)
    return incidents.alias(live=live_first).order_by("-live", "-declared_at")


def incidents_with_tasks(*, user, names: bool = False) -> QuerySet[Incident]:
    """Visible incidents, each with its tasks and their RACI (see `tasks_with_raci`)."""
    return incident_list(user=user).prefetch_related(Prefetch("tasks", queryset=tasks_with_raci(names=names)))


def incidents_as_in_contract(*, user) -> QuerySet[Incident]:
    """Visible incidents with all that GET /api/v1/incidents/{id}/ shows: tasks, RACI, risk ids."""
    return incidents_with_tasks(user=user).prefetch_related(
        Prefetch("risks", queryset=Risk.objects.only("pk"))
    )


def incident_timeline(*, incident: Incident, since: int = 0) -> QuerySet[TimelineEntry]:
    return incident.timeline.filter(seq__gt=since).order_by("seq")


def tasks_visible_to(user) -> QuerySet[Task]:
    return tasks_with_raci().filter(incident__in=incidents_visible_to(user))


def my_tasks(*, user) -> QuerySet[Task]:
    """Unfinished tasks of live incidents where the person, or a team of theirs, is R or A."""
    mine = TaskAssignment.objects.filter(
        involving(user, roles=[RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE]), task=OuterRef("pk")
    )
    return (
        tasks_with_raci()
        .select_related("incident")
        .filter(
            Exists(mine),
            state__in=[TaskState.OPEN, TaskState.ACKNOWLEDGED],
            incident__status__in=LIVE_STATUSES,
        )
        .order_by("due_at")
    )


def incidents_i_am_in(*, user) -> QuerySet[Incident]:
    """Live incidents the person commands or is named in (any RACI role, or through a team), the
    real ones first, then by severity and age."""
    named = TaskAssignment.objects.filter(involving(user), task__incident=OuterRef("pk"))
    return (
        Incident.objects.filter(Q(commander=user) | Exists(named), status__in=LIVE_STATUSES)
        .select_related("current_tier", "commander")
        .order_by("drill", "severity", "declared_at")
    )


# A pending timer this much past its due time means no worker or beat is firing timers.
TIMER_LATE_AFTER = dt.timedelta(minutes=1)


def pending_timers(*, now: dt.datetime) -> dict[str, int]:
    """How many timers wait, and how many of them are late (a sign that no worker fires them)."""
    pending = Timer.objects.filter(state=TimerState.PENDING)
    return {"pending": pending.count(), "late": pending.filter(due_at__lt=now - TIMER_LATE_AFTER).count()}
