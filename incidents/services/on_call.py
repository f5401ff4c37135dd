"""The on-call parties of tasks: who is on call when a task opens, and each hand-off while it is open.

A RACI party may be a team's on-call person. When the task opens, its snapshot records who is on
call for that team then (in plan time for a drill), or nobody: then the whole team is told. While
the task is open, beat's sweep compares each snapshot with the schedules and moves it to whoever
is on call now; the new person is told what is open and when it is due, and the timeline says
who passed it to whom. The sweep asks the schedules once per moment (one for every real incident,
one per drill), whatever the number of tasks, and moves a snapshot only under its incident's lock
and only from the person it found there, so two sweeps never hand the same task off twice.
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents import happenings, recipients, telling
from incidents.models import Incident, TaskAssignment, TimelineEntry
from incidents.services.escalation import ESCALATING_TASK_STATES
from incidents.services.locking import incidents_lock
from incidents.services.timeline import timeline_extend
from incidents.transitions import LIVE_STATUSES
from notifications.services import Message, notify_all
from notifications.wording import LocalTime
from oncall.selectors import on_call_for_teams
from people.models import Team


def on_call_record(
    *, incident: Incident, assignments: list[TaskAssignment], opened_at: dt.datetime, now: dt.datetime
) -> list[TimelineEntry]:
    """Records, in memory, who is on call for each on-call party of tasks opening at `opened_at`;
    returns the timeline's unsaved entries: one per team and person, naming their tasks."""
    parties = recipients.on_call_parties(assignments)
    if not parties:
        return []
    answers = on_call_for_teams(team_ids={a.team_id for a in parties}, at=incident.plan_moment(opened_at))
    tasks = defaultdict(list)
    for assignment in parties:
        assignment.on_call_person = answers[assignment.team_id].person
        tasks[assignment.team_id, assignment.on_call_person_id].append(assignment.task.pk)
    return [
        TimelineEntry(
            type=happenings.ON_CALL_FOUND.timeline,
            at=now,
            data={"team": team_id, "person": person_id, "tasks": sorted(set(task_ids))},
        )
        for (team_id, person_id), task_ids in tasks.items()
    ]


def assignments_create(
    *, incident: Incident, task, parties: list[tuple[str, dict]], now: dt.datetime
) -> tuple[list[TaskAssignment], list[TimelineEntry]]:
    """A task's new RACI parties, (role, {"team": …} | {"user": …} | {"team": …, "on_call": True}),
    saved; for a task already open, who is on call for its on-call parties is recorded now (a
    pending task's, when its tier starts). Returns them and the timeline's unsaved entries."""
    assignments = [
        TaskAssignment(
            task=task,
            role=role,
            team=party.get("team"),
            user=party.get("user"),
            on_call=party.get("on_call", False),
        )
        for role, party in parties
    ]
    entries = []
    if task.state in ESCALATING_TASK_STATES:
        entries = on_call_record(incident=incident, assignments=assignments, opened_at=now, now=now)
    TaskAssignment.objects.bulk_create(assignments)
    return assignments, entries


def _open_parties() -> list[dict]:
    live = TaskAssignment.objects.filter(
        on_call=True,
        task__state__in=ESCALATING_TASK_STATES,
        task__incident__status__in=LIVE_STATUSES,
    )
    return list(
        live.values(
            "pk",
            "team_id",
            "on_call_person_id",
            "task__incident_id",
            "task__incident__declared_at",
            "task__incident__clock_rate",
        )
    )


def _moment(party: dict, now: dt.datetime) -> dt.datetime:
    declared_at, rate = party["task__incident__declared_at"], party["task__incident__clock_rate"]
    return declared_at + (now - declared_at) * rate


def on_call_sweep(*, now: dt.datetime) -> int:
    """Hands each open task's on-call party to whoever is on call now; returns how many moved."""
    parties = _open_parties()
    by_moment = defaultdict(set)
    for party in parties:
        by_moment[_moment(party, now)].add(party["team_id"])
    answers = {
        moment: on_call_for_teams(team_ids=team_ids, at=moment) for moment, team_ids in by_moment.items()
    }
    moves = defaultdict(dict)  # incident → {assignment: (from person, to person)}
    for party in parties:
        person = answers[_moment(party, now)][party["team_id"]].person
        if (person.pk if person else None) != party["on_call_person_id"]:
            moves[party["task__incident_id"]][party["pk"]] = (party["on_call_person_id"], person)
    if not moves:
        return 0
    return on_call_hand_off(moves=moves, now=now)


@transaction.atomic
def on_call_hand_off(*, moves: dict[int, dict[int, tuple]], now: dt.datetime) -> int:
    """Moves the snapshots found by the sweep, each only if it still names the person the sweep saw.
    `moves`: incident id → {assignment id: (from person id, to person)}."""
    incidents = incidents_lock(list(moves))
    assignment_ids = [pk for incident_id in incidents for pk in moves[incident_id]]
    current = TaskAssignment.objects.filter(
        pk__in=assignment_ids,
        task__state__in=ESCALATING_TASK_STATES,
        task__incident__status__in=LIVE_STATUSES,
    ).select_related("task", "team")
    handed = defaultdict(list)  # (incident, team, from, to) → assignments
    for assignment in current:
        before, person = moves[assignment.task.incident_id][assignment.pk]
        if assignment.on_call_person_id == before:
            handed[assignment.task.incident_id, assignment.team_id, before, person].append(assignment)
    for (_incident, _team, _before, person), group in handed.items():
        TaskAssignment.objects.filter(pk__in=[a.pk for a in group]).update(on_call_person=person)
    _tell(incidents=incidents, handed=handed, now=now)
    return sum(len(group) for group in handed.values())


def _tell(*, incidents: dict[int, Incident], handed: dict, now: dt.datetime) -> None:
    """The timeline of each incident says who passed what to whom; each new person is told what is
    open and when it is due (the whole team, when nobody is on call any more)."""
    directory = recipients.Directory()
    participants = telling.Participants(directory)
    teams = Team.objects.in_bulk({team_id for _, team_id, _, _ in handed})
    entries, messages = defaultdict(list), []
    for (incident_id, team_id, before, person), group in handed.items():
        incident, team = incidents[incident_id], teams[team_id]
        tasks = sorted({a.task.pk: a.task for a in group}.values(), key=lambda task: task.pk)
        entries[incident_id].append(
            TimelineEntry(
                type=happenings.ON_CALL_HANDED_OFF.timeline,
                at=now,
                data={
                    "team": team_id,
                    "from": before,
                    "to": person.pk if person else None,
                    "tasks": [task.pk for task in tasks],
                },
            )
        )
        messages.append(
            Message(
                recipients={person} if person else directory.members({team_id}),
                kind=happenings.TASK_OPENED.notification,
                title=format_lazy(
                    _("{incident}: you are now on call for {team} and its open tasks are yours")
                    if person
                    else _("{incident}: nobody is on call for {team} now, so its open tasks are the team's"),
                    incident=incident.reader_title,
                    team=team.name,
                ),
                body=_open_tasks_body(tasks),
                **telling.incident_fields(incident=incident, participants=participants.of(incident)),
            )
        )
    notify_all(messages)
    for incident_id, incident_entries in entries.items():
        timeline_extend(incident=incidents[incident_id], entries=incident_entries)


def _open_tasks_body(tasks: list):
    lines = [
        format_lazy(_("“{task}”, due {due}."), task=task.title, due=LocalTime(task.due_at)) for task in tasks
    ]
    return format_lazy("{}" + "\n{}" * (len(lines) - 1), *lines)
