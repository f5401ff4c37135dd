"""Response analytics: one aggregate query per figure, grouped by a dimension, drills apart.

Each figure is a list of rows `{"drill", "key", "value", "count"}` (the on-time rate adds
"tier"); durations are in seconds. `count` is the number of incidents (tasks for the on-time
rate) behind the value.
"""

import datetime as dt

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth, TruncWeek

from incidents.happenings import ESCALATION_FIRED, TASK_OVERDUE
from incidents.models import Incident, Task, TaskAssignment, TaskState, TimelineEntry
from people.models import Team
from playbooks.models import RaciRole

DIMENSIONS = ("playbook", "severity", "team", "month")
ESCALATION_TYPES = (ESCALATION_FIRED.timeline, TASK_OVERDUE.timeline)

INCIDENT_KEYS = {
    "all": Value(""),
    "playbook": F("playbook__name"),
    "severity": F("severity"),
    "month": TruncMonth("declared_at"),
    "week": TruncWeek("declared_at"),  # for the weekly trends, not a dimension of the page
}
TASK_KEYS = {
    "playbook": F("incident__playbook__name"),
    "severity": F("incident__severity"),
    "month": TruncMonth("incident__declared_at"),
    # A step counts for the team Accountable for it.
    "team": Subquery(
        TaskAssignment.objects.filter(
            task=OuterRef("pk"), role=RaciRole.ACCOUNTABLE, team__isnull=False
        ).values("team__name")[:1]
    ),
}


def incidents_in(*, since: dt.datetime | None = None, until: dt.datetime | None = None) -> QuerySet[Incident]:
    incidents = Incident.objects.all()
    if since:
        incidents = incidents.filter(declared_at__gte=since)
    if until:
        incidents = incidents.filter(declared_at__lt=until)
    return incidents


def mean_time_to_acknowledge(incidents: QuerySet[Incident], *, by: str) -> list[dict]:
    """MTTA: declaration → the first acknowledgement of any of its steps, in seconds."""
    first = Task.objects.filter(incident=OuterRef("pk"), acknowledged_at__isnull=False).order_by(
        "acknowledged_at"
    )
    acknowledged = incidents.annotate(first_ack=Subquery(first.values("acknowledged_at")[:1])).filter(
        first_ack__isnull=False
    )
    return _in_seconds(_grouped(acknowledged, by, Avg(_since_declaration("first_ack"))))


def mean_time_to_resolve(incidents: QuerySet[Incident], *, by: str) -> list[dict]:
    """MTTR: declaration → resolution, in seconds."""
    resolved = incidents.filter(resolved_at__isnull=False)
    return _in_seconds(_grouped(resolved, by, Avg(_since_declaration("resolved_at"))))


def escalations_per_incident(incidents: QuerySet[Incident], *, by: str) -> list[dict]:
    """Timeline entries of type escalation.fired or task.overdue, per incident."""
    entries = (
        TimelineEntry.objects.filter(incident=OuterRef("pk"), type__in=ESCALATION_TYPES)
        .order_by()
        .values("incident")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counted = incidents.annotate(escalations=Coalesce(Cast(Subquery(entries), FloatField()), Value(0.0)))
    return _grouped(counted, by, Avg("escalations"))


def on_time_rate(incidents: QuerySet[Incident], *, by: str, now: dt.datetime) -> list[dict]:
    """Per tier: steps done by their due time / steps that fell due or were done (skipped ones left out)."""
    tasks = Task.objects.filter(
        Q(state=TaskState.DONE) | Q(due_at__lte=now), incident__in=incidents, due_at__isnull=False
    ).exclude(state=TaskState.SKIPPED)
    rows = (
        tasks.annotate(key=TASK_KEYS[by], drill=F("incident__drill"), tier_key=F("tier__key"))
        .values("drill", "key", "tier_key")
        .annotate(
            on_time=Count("pk", filter=Q(state=TaskState.DONE, finished_at__lte=F("due_at"))),
            count=Count("pk"),
        )
        .order_by("drill", "key", "tier_key")
    )
    return [{**row, "tier": row.pop("tier_key"), "value": row["on_time"] / row["count"]} for row in rows]


def _since_declaration(field: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(field) - F("declared_at"), output_field=DurationField())


def _grouped(incidents: QuerySet[Incident], by: str, value) -> list[dict]:
    """One query: the aggregate `value` and the number of incidents, per (drill, key)."""
    if by == "team":
        return _grouped_by_team(incidents, value)
    rows = (
        incidents.annotate(key=INCIDENT_KEYS[by])
        .values("drill", "key")
        .annotate(value=value, count=Count("pk"))
        .order_by("drill", "key")
    )
    return list(rows)


def _grouped_by_team(incidents: QuerySet[Incident], value) -> list[dict]:
    """An incident counts once for each team named in any RACI of its steps (one query, no joins
    that would count an incident once per assignment)."""

    def of_team(drill: bool, aggregate):
        named = TaskAssignment.objects.filter(team=OuterRef(OuterRef("pk")), task__incident=OuterRef("pk"))
        scoped = incidents.filter(Exists(named), drill=drill).order_by()
        return Subquery(scoped.annotate(group=Value(1)).values("group").annotate(v=aggregate).values("v")[:1])

    teams = Team.objects.annotate(
        **{
            f"{name}_{drill}": of_team(drill, aggregate)
            for drill in (False, True)
            for name, aggregate in (("value", value), ("count", Count("pk")))
        }
    ).values("name", "value_False", "count_False", "value_True", "count_True")
    teams = list(teams.order_by("name"))
    return [
        {
            "drill": drill,
            "key": team["name"],
            "value": team[f"value_{drill}"],
            "count": team[f"count_{drill}"],
        }
        for drill in (False, True)
        for team in teams
        if team[f"count_{drill}"]
    ]


def _in_seconds(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["value"] = row["value"].total_seconds() if row["value"] is not None else None
    return rows
