"""Reads of incidents, each scoped to what the person may see."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from incidents import happenings
from incidents.models import (
    Incident,
    RoleHolding,
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
    """Admins, executives and risk officers see all; a responder, those they command, appear in,
    or hold (or held) a role in."""
    incidents = Incident.objects.all()
    if user.sees_everything:
        return incidents
    named = TaskAssignment.objects.filter(involving(user), task__incident=OuterRef("pk"))
    roles = RoleHolding.objects.filter(user=user, incident=OuterRef("pk"))
    return incidents.filter(Q(commander=user) | Exists(named) | Exists(roles))


def people_who_may_see(*, incident: Incident, people) -> list:
    """Of these people, those who may see the incident (as `incidents_visible_to`), in two queries."""
    people = list(people)
    others = {person.pk for person in people if not person.sees_everything}
    if others:
        named = TaskAssignment.objects.filter(task__incident=incident).filter(
            Q(user__in=others) | Q(team__memberships__user__in=others)
        )
        involved = set(named.values_list("user_id", flat=True))
        involved |= set(named.values_list("team__memberships__user_id", flat=True))
        involved |= set(RoleHolding.objects.filter(incident=incident).values_list("user_id", flat=True))
        others &= involved | {incident.commander_id}
    return [person for person in people if person.sees_everything or person.pk in others]


def with_next_tier_at(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    next_tier = Timer.objects.filter(
        incident=OuterRef("pk"), kind=TimerKind.TIER_START, state=TimerState.PENDING
    ).order_by("due_at")
    return incidents.annotate(next_tier_at=Subquery(next_tier.values("due_at")[:1]))


def with_next_update_due_at(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """When the next status update is due (its reminder's time), None when none is expected."""
    reminder = Timer.objects.filter(
        incident=OuterRef("pk"), kind=TimerKind.UPDATE_DUE, level=1, state=TimerState.PENDING
    ).order_by("due_at")
    return incidents.annotate(next_update_due_at=Subquery(reminder.values("due_at")[:1]))


def latest_update(*, incident_id: int) -> TimelineEntry | None:
    """The incident's latest status update, pinned in the war room's header."""
    return (
        TimelineEntry.objects.filter(incident_id=incident_id, type=happenings.STATUS_UPDATE.timeline)
        .select_related("actor")
        .order_by("-seq")
        .first()
    )


def tasks_with_raci(*, names: bool = False) -> QuerySet[Task]:
    """Tasks with their tier and RACI; `names` loads each party's team or person too (for pages)."""
    assignments = TaskAssignment.objects.all()
    if names:
        assignments = assignments.select_related("team", "user", "on_call_person")
    return Task.objects.select_related("tier").prefetch_related(Prefetch("assignments", queryset=assignments))


def _listed(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """With what every list of incidents shows: the tier, playbook and commander, the next tier's start."""
    return with_next_tier_at(incidents).select_related("current_tier", "playbook", "commander")


def incident_list(*, user, status: str | None = None, drill: bool | None = None) -> QuerySet[Incident]:
    """Live incidents first, newest first within each group."""
    incidents = _listed(incidents_visible_to(user))
    if status:
        incidents = incidents.filter(status=status)
    if drill is not None:
        incidents = incidents.filter(drill=drill)
    live_first = Q(status__in=LIVE_STATUSES)
    return incidents.alias(live=live_first).order_by("-live", "-declared_at")


def incidents_with_tasks(*, user, names: bool = False) -> QuerySet[Incident]:
    """Visible incidents, each with its tasks and their RACI (see `tasks_with_raci`)."""
    return incident_list(user=user).prefetch_related(Prefetch("tasks", queryset=tasks_with_raci(names=names)))


def _as_in_contract(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """With all that GET /api/v1/incidents/{id}/ shows: tasks, RACI, risk ids, roles, when the next
    status update is due."""
    return with_next_update_due_at(
        incidents.prefetch_related(Prefetch("tasks", queryset=tasks_with_raci()))
    ).prefetch_related(Prefetch("risks", queryset=Risk.objects.only("pk")), "role_holdings")


def incidents_as_in_contract(*, user) -> QuerySet[Incident]:
    """Visible incidents as GET /api/v1/incidents/{id}/ shows them."""
    return _as_in_contract(incident_list(user=user))


def incident_as_in_contract(*, incident_id: int) -> Incident:
    """The incident as GET /api/v1/incidents/{id}/ shows it to anyone who may see it, for a caller
    that has checked who may; Incident.DoesNotExist if there is none."""
    return _as_in_contract(_listed(Incident.objects.all())).get(pk=incident_id)


def incident_timeline(
    *, incident: Incident, since: int = 0, type: str | None = None
) -> QuerySet[TimelineEntry]:
    entries = incident.timeline.filter(seq__gt=since).order_by("seq")
    return entries.filter(type=type) if type else entries


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


def incident_last_seq(*, incident_id: int) -> int | None:
    """The seq of the incident's latest timeline entry (None if there is no such incident)."""
    return Incident.objects.filter(pk=incident_id).values_list("last_seq", flat=True).first()
