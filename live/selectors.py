"""Reads behind the live streams and pages: who may watch what, and the snapshots they start from."""

import datetime as dt

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.realtime import encode
from incidents.events import event_from_entry
from incidents.happenings import ESCALATION_FIRED
from incidents.models import Incident, Task, TaskAssignment, TaskState, TimelineEntry
from incidents.selectors import (
    incident_as_in_contract,
    tasks_with_raci,
    with_next_tier_at,
)
from incidents.serializers import IncidentDetailSerializer, TaskSerializer
from incidents.transitions import LIVE_STATUSES
from people.models import Team
from playbooks.models import RaciRole

# The escalation level that reaches executives.
EXECUTIVE_LEVEL = 3
UNFINISHED = [TaskState.OPEN, TaskState.ACKNOWLEDGED]


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("incident").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def live_incidents(*, now: dt.datetime) -> QuerySet[Incident]:
    """Incidents still being worked, worst first, each with the figures the dashboard shows."""
    overdue = Task.objects.filter(incident=OuterRef("pk"), state__in=UNFINISHED, due_at__lt=now)
    to_executives = TimelineEntry.objects.filter(
        incident=OuterRef("pk"), type=ESCALATION_FIRED.timeline, data__level=EXECUTIVE_LEVEL
    )
    return (
        with_next_tier_at(Incident.objects.filter(status__in=LIVE_STATUSES))
        .select_related("current_tier")
        .annotate(overdue_tasks=_count(overdue), executive_escalations=_count(to_executives))
        .order_by("severity", "declared_at")
    )


def team_incidents(*, team_id: int, now: dt.datetime) -> QuerySet[Incident]:
    named = TaskAssignment.objects.filter(team_id=team_id, task__incident=OuterRef("pk"))
    return live_incidents(now=now).filter(Exists(named))


def team_tasks(*, team_id: int) -> QuerySet[Task]:
    """Unfinished tasks of live incidents where the team is Responsible or Accountable."""
    ours = TaskAssignment.objects.filter(
        team_id=team_id, role__in=[RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE], task=OuterRef("pk")
    )
    return (
        tasks_with_raci()
        .select_related("incident")
        .filter(Exists(ours), state__in=UNFINISHED, incident__status__in=LIVE_STATUSES)
        .order_by("due_at")
    )


def incident_row(incident: Incident) -> dict:
    return {
        "id": incident.pk,
        "title": incident.title,
        "severity": incident.severity,
        "status": incident.status,
        "drill": incident.drill,
        "clock_rate": incident.clock_rate,
        "declared_at": incident.declared_at,
        "current_tier": incident.current_tier.key,
        "current_tier_name": incident.current_tier.name,
        "tier_started_at": incident.tier_started_at,
        "next_tier_at": incident.next_tier_at,
        "overdue_tasks": incident.overdue_tasks,
        "executive_escalations": incident.executive_escalations,
        "seq": incident.last_seq,
    }


def dashboard_snapshot(*, now: dt.datetime) -> dict:
    return {"incidents": [incident_row(incident) for incident in live_incidents(now=now)]}


def team_snapshot(*, team_id: int, now: dt.datetime) -> dict:
    team = Team.objects.get(pk=team_id)
    return {
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "incidents": [incident_row(incident) for incident in team_incidents(team_id=team_id, now=now)],
        "tasks": TaskSerializer(team_tasks(team_id=team_id), many=True).data,
    }


def incident_snapshot(*, incident_id: int) -> tuple[int, dict]:
    """The incident's last timeline seq and its current state, as GET /api/v1/incidents/{id}/ shows
    it to anyone who may see it (the caller has checked who may); Incident.DoesNotExist if none."""
    incident = incident_as_in_contract(incident_id=incident_id)
    return incident.last_seq, IncidentDetailSerializer(incident).data


def timeline_events(*, incident_id: int, after: int, before: int | None = None) -> list[tuple[int, str]]:
    """Encoded events of the timeline entries with after < seq < before, in order."""
    entries = TimelineEntry.objects.filter(incident_id=incident_id, seq__gt=after).order_by("seq")
    if before is not None:
        entries = entries.filter(seq__lt=before)
    return [(entry.seq, encode(event_from_entry(entry))) for entry in entries]
