"""What the executive cockpit says of each live incident: where it stands in its tiers, the latest
status update, who is late (whose task, how late, how far escalated) and the risks it touches.
Real incidents first, worst and oldest first; drills apart. A fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Prefetch, Subquery

from audit.selectors import last_entry
from incidents import happenings
from incidents.models import Incident, Task, TaskAssignment, TimelineEntry
from incidents.selectors import with_next_update_due_at
from live.selectors import UNFINISHED, live_incidents
from playbooks.models import RaciRole, Tier
from risks.models import Risk


@dataclass(frozen=True)
class TierWindow:
    """One tier of the incident's playbook and how much of its window has passed, in plan time."""

    tier: Tier
    state: str  # "done", "current" or "next"
    progress: float  # 0 to 1


@dataclass(frozen=True)
class LateTask:
    task: Task
    responsible: list[str]  # the Responsible teams or people (the Accountable if none is)


@dataclass(frozen=True)
class CockpitIncident:
    incident: Incident
    tiers: list[TierWindow]
    latest_update: TimelineEntry | None
    late: list[LateTask]
    risks: list[Risk]


def tier_windows(incident: Incident, tiers: list[Tier], *, now: dt.datetime) -> list[TierWindow]:
    plan_elapsed = (now - incident.declared_at) * incident.clock_rate
    current = next(index for index, tier in enumerate(tiers) if tier.pk == incident.current_tier_id)
    windows = []
    for index, tier in enumerate(tiers):
        if index < current:
            windows.append(TierWindow(tier, "done", 1.0))
        elif index > current:
            windows.append(TierWindow(tier, "next", 0.0))
        else:
            windows.append(TierWindow(tier, "current", _share(plan_elapsed, tier)))
    return windows


def _share(plan_elapsed: dt.timedelta, tier: Tier) -> float:
    """How much of the tier's window has passed; an open-ended last tier is simply under way."""
    if tier.ends_after is None:
        return 1.0
    share = (plan_elapsed - tier.starts_after) / (tier.ends_after - tier.starts_after)
    return min(max(share, 0.0), 1.0)


def _responsible(task: Task) -> list[str]:
    assignments = list(task.assignments.all())
    for role in (RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE):
        names = [str(a.user or a.team) for a in assignments if a.role == role]
        if names:
            return names
    return []


def _latest_updates(incident_ids: list[int]) -> dict[int, TimelineEntry]:
    updates = TimelineEntry.objects.filter(type=happenings.STATUS_UPDATE.timeline)
    last = updates.filter(incident=OuterRef("incident_id")).order_by("-seq").values("seq")[:1]
    latest = updates.filter(incident_id__in=incident_ids, seq=Subquery(last)).select_related("actor")
    return {entry.incident_id: entry for entry in latest}


def _late_tasks(incident_ids: list[int], now: dt.datetime) -> dict[int, list[LateTask]]:
    parties = TaskAssignment.objects.select_related("team", "user")
    tasks = (
        Task.objects.filter(incident_id__in=incident_ids, state__in=UNFINISHED, due_at__lt=now)
        .prefetch_related(Prefetch("assignments", queryset=parties))
        .order_by("due_at")
    )
    late: dict[int, list[LateTask]] = {}
    for task in tasks:
        late.setdefault(task.incident_id, []).append(LateTask(task, _responsible(task)))
    return late


def cockpit_incidents(*, now: dt.datetime) -> tuple[list[CockpitIncident], list[CockpitIncident]]:
    """(real incidents, drills), each by severity then age."""
    incidents = list(
        with_next_update_due_at(live_incidents(now=now)).prefetch_related(
            "playbook__tiers", Prefetch("risks", queryset=Risk.objects.order_by("number"))
        )
    )
    ids = [incident.pk for incident in incidents]
    updates, late = _latest_updates(ids), _late_tasks(ids, now)
    real, drills = [], []
    for incident in incidents:
        row = CockpitIncident(
            incident=incident,
            tiers=tier_windows(incident, list(incident.playbook.tiers.all()), now=now),
            latest_update=updates.get(incident.pk),
            late=late.get(incident.pk, []),
            risks=list(incident.risks.all()),
        )
        (drills if incident.drill else real).append(row)
    return real, drills


def cockpit_stamp() -> tuple:
    """What the cockpit shows, as of which change: the last timeline entry of any incident (every
    change to an incident writes one) and the last audit entry (every change to a risk, an
    appetite, a person or a team writes one). A KRI's new reading, like what only the clock
    moves, shows when its part is next rendered (`views.PART_SECONDS`)."""
    return TimelineEntry.objects.aggregate(last=Max("pk"))["last"], last_entry()


def card_stamp(row: CockpitIncident, audited) -> tuple:
    """What one incident's card shows, as of when: its last timeline entry, the last audit entry
    (its linked risks rated again), and what the clock moves: how far into its tier (to the
    percent), which tasks are late, how many and how far escalated."""
    incident = row.incident
    return (
        incident.pk,
        incident.last_seq,
        audited,
        tuple(round(window.progress, 2) for window in row.tiers),
        tuple(late.task.pk for late in row.late),
        incident.overdue_tasks,
        incident.executive_escalations,
    )
