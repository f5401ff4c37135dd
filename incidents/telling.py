"""What an incident's notifications say and who may hear them: the severity or DRILL tag of every
copy, a drill's participants (only they hear a drill unless they chose otherwise), and the words of
an escalation (what is late, whose it is, how late in plan time, the tier, the latest update) and of
a missed status update."""

import datetime as dt
from typing import NamedTuple

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents import happenings, recipients
from incidents.models import Incident, Task, TaskAssignment, TaskState, TimelineEntry
from notifications.wording import Duration, LocalTime
from playbooks.models import RaciRole, party_name


def incident_fields(
    *,
    incident: Incident,
    task: Task | None = None,
    participants: frozenset[int] = frozenset(),
    directory: recipients.Directory | None = None,
) -> dict:
    """What every Message about the incident carries besides its people, kind and words. About a
    task: its id, and who may acknowledge it (its Responsible and Accountable, the commander); while
    nobody has acknowledged it, those of them whose rule says so are told again until someone does."""
    actors = None
    if task is not None and directory is not None:
        parties = recipients.of_roles(task.assignments.all(), RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE)
        actors = frozenset(person.pk for person in directory.people_behind(parties)) | {incident.commander_id}
    return {
        "url": f"/incidents/{incident.pk}/",
        "incident_id": incident.pk,
        "task_id": task.pk if task else None,
        "actors": actors,
        "tag": f"SEV{incident.severity}",
        "drill": incident.drill,
        "participants": participants,
        "repeat_until": repeat_key(task.pk) if task is not None and task.state == TaskState.OPEN else "",
        "clock_rate": incident.clock_rate,
    }


def repeat_key(task_id: int) -> str:
    """What settles the repeats of a task's notices: acknowledging, finishing or skipping it."""
    return f"task:{task_id}"


class Participants:
    """The people each drill names (everyone behind its RACI, and its commander), read once per drill."""

    def __init__(self, directory: recipients.Directory):
        self.directory = directory
        self._of: dict[int, frozenset[int]] = {}

    def of(self, incident: Incident) -> frozenset[int]:
        if not incident.drill:
            return frozenset()
        if incident.pk not in self._of:
            assignments = TaskAssignment.objects.filter(task__incident=incident).select_related("user")
            people = self.directory.people_behind(assignments) | {incident.commander}
            self._of[incident.pk] = frozenset(person.pk for person in people)
        return self._of[incident.pk]


def plan_time(incident: Incident, length: dt.timedelta) -> dt.timedelta:
    """A real length of time as the plan counts it: a drill's clock runs `clock_rate` times faster."""
    return length * incident.clock_rate


class LatestUpdate(NamedTuple):
    body: str
    at: dt.datetime


def latest_updates(incident_ids) -> dict[int, LatestUpdate]:
    """Each incident's latest status update (its text and when it was posted), in one query."""
    entries = TimelineEntry.objects.filter(
        incident_id__in=list(incident_ids), type=happenings.STATUS_UPDATE.timeline
    ).order_by("incident_id", "-seq")
    latest: dict[int, LatestUpdate] = {}
    for incident_id, data, at in entries.values_list("incident_id", "data", "at"):
        latest.setdefault(incident_id, LatestUpdate((data or {}).get("body", ""), at))
    return latest


def _names(assignments, role: str):
    """The role's parties, lazy: an on-call party reads "On call: <team> (<person>)" in the reader's
    language."""
    names = [_name(a) for a in recipients.of_roles(assignments, role)]
    return format_lazy(", ".join(["{}"] * len(names)), *names) if names else "—"


def _name(assignment):
    if assignment.on_call and assignment.on_call_person_id:
        return format_lazy("{} ({})", party_name(assignment), assignment.on_call_person)
    return party_name(assignment)


def _in_plan_time(incident: Incident, length: dt.timedelta, *, real, drill):
    """`real` or, for a drill, `drill` (which also names the clock rate), with the length in plan time."""
    wording = drill if incident.drill else real
    return format_lazy(wording, length=Duration(plan_time(incident, length)), rate=incident.clock_rate)


def _where_it_stands(incident: Incident, latest: LatestUpdate | None) -> list:
    """The tier and the latest status update, the lines every notice about lateness ends with."""
    return [
        format_lazy(
            _("Current tier: {tier}."), tier=incident.current_tier.name if incident.current_tier else "—"
        ),
        format_lazy(_("Latest status update: {update}"), update=latest.body)
        if latest
        else _("No status update yet."),
    ]


def escalation_body(*, incident: Incident, task: Task, now: dt.datetime, latest: LatestUpdate | None):
    """What is late, whose it is, how late (in plan time for a drill), the tier, the latest update;
    lazy, so each reader gets it in their language and time zone."""
    assignments = task.assignments.all()
    lines = [
        format_lazy(_("“{task}” was due {due}."), task=task.title, due=LocalTime(task.due_at)),
        _in_plan_time(
            incident,
            now - task.due_at,
            real=_("Late by {length}."),
            drill=_("Late by {length} of plan time (the drill's clock runs {rate}× faster)."),
        ),
        format_lazy(
            _("Responsible: {responsible}. Accountable: {accountable}."),
            responsible=_names(assignments, RaciRole.RESPONSIBLE),
            accountable=_names(assignments, RaciRole.ACCOUNTABLE),
        ),
        *_where_it_stands(incident, latest),
    ]
    return format_lazy("{}\n{}\n{}\n{}\n{}", *lines)


def missed_update_body(*, incident: Incident, now: dt.datetime, latest: LatestUpdate | None):
    """How long there has been no status update (in plan time for a drill), the tier and the
    latest update; lazy, like escalation_body."""
    silence = now - (latest.at if latest else incident.declared_at)
    lines = [
        _in_plan_time(
            incident,
            silence,
            real=_("No status update for {length}."),
            drill=_("No status update for {length} of plan time (the drill's clock runs {rate}× faster)."),
        ),
        *_where_it_stands(incident, latest),
    ]
    return format_lazy("{}\n{}\n{}", *lines)
