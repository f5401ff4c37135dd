"""What each escalation level does, and to whom.

Level 1 (at the due time): the task is overdue; its Responsible and Accountable are told, an
on-call party's person only (its whole team while nobody is on call).
Level 2 (one escalation delay later): the Accountable, the incident commander, and the whole team
of each Responsible or Accountable on-call party.
Level 3 (two delays later): the executives and the Accountable team's escalation contact.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents import happenings, recipients, telling
from incidents.models import Incident, Task, TaskAssignment, TimelineEntry, Timer, TimerState
from incidents.services.timeline import timeline_extend
from incidents.transitions import LIVE_STATUSES
from notifications.services import Message, notify_all
from playbooks.models import RaciRole

TITLES = {
    1: _("{incident}: “{task}” is overdue"),
    2: _("{incident}: “{task}” escalated to you (level 2)"),
    3: _("{incident}: “{task}” escalated to executives (level 3)"),
}
ESCALATING_TASK_STATES = {"open", "acknowledged"}


def people_for_level(*, level: int, task: Task, incident: Incident, directory: recipients.Directory) -> set:
    assignments = task.assignments.all()
    doers = recipients.of_roles(assignments, RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE)
    if level == 1:
        return directory.told_first(doers)
    if level == 2:
        on_call_teams = {a.team_id for a in recipients.on_call_parties(doers)}
        return (
            directory.people_behind(recipients.of_roles(assignments, RaciRole.ACCOUNTABLE))
            | directory.members(on_call_teams)
            | {incident.commander}
        )
    return directory.executives() | recipients.escalation_contacts(assignments)


def on_call_told(*, level: int, task: Task) -> dict:
    """What the timeline records of a level's on-call parties: at level 1, who was on call for each
    team (None: nobody, so the team); at level 2, the teams told in full."""
    parties = recipients.on_call_parties(
        recipients.of_roles(task.assignments.all(), RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE)
    )
    if not parties or level > 2:
        return {}
    if level == 1:
        return {"on_call": [{"team": a.team_id, "person": a.on_call_person_id} for a in parties]}
    return {"teams": sorted({a.team_id for a in parties})}


def escalations_fire(*, timers: list[Timer], incidents: dict[int, Incident], now: dt.datetime) -> None:
    """Fires claimed escalation timers, in their order: the level's people are told, the task
    shows its level and its next escalation, and the timeline says who was notified.

    However many timers, the queries are the same few: a batch of 50 costs little more than one.
    """
    assignments = TaskAssignment.objects.select_related("team__escalation_contact", "user", "on_call_person")
    tasks = Task.objects.prefetch_related(Prefetch("assignments", queryset=assignments))
    tasks = tasks.in_bulk({timer.task_id for timer in timers})
    directory = recipients.Directory()
    participants = telling.Participants(directory)
    updates = telling.latest_updates(incidents)
    messages, escalated = [], {}
    entries = defaultdict(list)
    for timer in timers:
        incident, task = incidents[timer.incident_id], tasks[timer.task_id]
        if incident.status not in LIVE_STATUSES or task.state not in ESCALATING_TASK_STATES:
            continue  # a timer that outlived its task: claimed, and nothing to say
        people = people_for_level(level=timer.level, task=task, incident=incident, directory=directory)
        happening = happenings.escalation_at(timer.level)
        messages.append(
            Message(
                recipients=people,
                kind=happening.notification,
                title=format_lazy(TITLES[timer.level], incident=incident.reader_title, task=task.title),
                body=telling.escalation_body(
                    incident=incident, task=task, now=now, latest=updates.get(incident.pk)
                ),
                **telling.incident_fields(
                    incident=incident, task=task, participants=participants.of(incident), directory=directory
                ),
            )
        )
        escalated[task.pk] = timer.level  # the highest level reached, since timers come in order
        entries[incident.pk].append(
            TimelineEntry(
                type=happening.timeline,
                at=now,
                data={
                    "task": task.pk,
                    "level": timer.level,
                    "due_at": timer.due_at.isoformat(),
                    "notified": sorted(person.pk for person in people),
                    **on_call_told(level=timer.level, task=task),
                },
            )
        )
    if not escalated:
        return
    notify_all(messages)
    next_escalation = Timer.objects.filter(task=OuterRef("pk"), state=TimerState.PENDING).order_by("due_at")
    for level in set(escalated.values()):
        Task.objects.filter(pk__in=[pk for pk, reached in escalated.items() if reached == level]).update(
            escalation_level=level, next_escalation_at=Subquery(next_escalation.values("due_at")[:1])
        )
    for incident_id, incident_entries in entries.items():
        timeline_extend(incident=incidents[incident_id], entries=incident_entries)
