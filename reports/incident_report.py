"""What an incident's executive report says: the incident, its status updates, its tiers with who
did what when, its whole timeline in words, and its review with the plan-versus-actual chart.
The page and the PDF are both drawn from one `IncidentReport`."""

import datetime as dt
from dataclasses import dataclass
from html import unescape

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from core.gantt import Chart
from incidents import happenings, page_queries
from incidents.models import Incident, IncidentRole, Task, TimelineEntry
from playbooks.models import Tier
from reviews.models import Review
from reviews.plan_chart import legend, plan_versus_actual
from reviews.selectors import on_time_record, review_get


@dataclass(frozen=True)
class Moment:
    """One timeline entry as the report writes it: when, who (None: the system) and what."""

    at: dt.datetime
    actor: str | None
    what: str
    is_update: bool
    parts: tuple[tuple[str, str], ...] = ()  # a status update's labelled parts


# A structured status update's parts, as the war room names them.
UPDATE_PARTS = {
    "what_happened": _("What happened"),
    "impact": _("Impact"),
    "actions": _("What is being done"),
    "needs": _("What is needed"),
}


@dataclass(frozen=True)
class TierSection:
    tier: Tier
    tasks: list[Task]  # each with acknowledged_by / finished_by loaded


@dataclass(frozen=True)
class IncidentReport:
    incident: Incident
    roles: list[tuple[str, object]]  # (the role's name, its holder or None)
    tiers: list[TierSection]
    updates: list[Moment]  # the status updates, oldest first
    timeline: list[Moment]  # everything, oldest first
    timeline_cut: bool  # the timeline shown is the latest entries only
    review: Review | None
    chart: Chart
    legend: list[tuple[str, str]]
    now: dt.datetime


def _moment(entry: TimelineEntry) -> Moment:
    """The entry as the war room words it, as plain text; a status update in its parts."""
    actor = str(entry.actor) if entry.actor else None
    if entry.type == happenings.STATUS_UPDATE.timeline:
        data = entry.data
        parts = tuple((str(label), data[key]) for key, label in UPDATE_PARTS.items() if data.get(key))
        body = data.get("body", "")
        if body and body != data.get("what_happened"):
            parts += (("", body),)
        return Moment(at=entry.at, actor=actor, what=body, is_update=True, parts=parts)
    html = render_to_string("incidents/war_room/timeline_entry.html", {"entry": entry})
    return Moment(
        at=entry.at, actor=actor, what=" ".join(unescape(strip_tags(html)).split()), is_update=False
    )


def _tiers(incident: Incident) -> list[TierSection]:
    tasks = (
        Task.objects.filter(incident=incident)
        .select_related("tier", "acknowledged_by", "finished_by")
        .order_by("tier__starts_after", "step__order", "pk")
    )
    sections: dict[int, TierSection] = {}
    for tier in Tier.objects.filter(playbook_id=incident.playbook_id).order_by("starts_after"):
        sections[tier.pk] = TierSection(tier=tier, tasks=[])
    for task in tasks:
        sections[task.tier_id].tasks.append(task)
    return list(sections.values())


def incident_report(*, user, incident_id: int, now: dt.datetime) -> IncidentReport:
    """The report of an incident the person may see; Incident.DoesNotExist otherwise."""
    room = page_queries.war_room(user=page_queries.viewer(user), incident_id=incident_id)
    incident = room.incident
    entries = page_queries.timeline_newest_first(incident=incident, tasks_by_id=room.tasks_by_id)
    timeline = [_moment(entry) for entry in reversed(entries)]
    try:
        review = review_get(user=user, incident_id=incident.pk)
    except Review.DoesNotExist:
        review = None
    chart = plan_versus_actual(incident=incident, steps=on_time_record(incident=incident), now=now)
    return IncidentReport(
        incident=incident,
        roles=[(IncidentRole(role).label, person) for role, person in room.roles.items()],
        tiers=_tiers(incident),
        updates=[moment for moment in timeline if moment.is_update],
        timeline=timeline,
        timeline_cut=incident.last_seq > len(entries),
        review=review,
        chart=chart,
        legend=legend(chart),
        now=now,
    )
