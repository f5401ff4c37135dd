"""Starting a tier: its tasks open with their due times and escalation timers, its people are told."""

import datetime as dt
from collections import defaultdict

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents import happenings, recipients, telling
from incidents.models import Incident, Task, TaskAssignment, TaskState, TimelineEntry, Timer, TimerKind
from incidents.services.on_call import on_call_record
from incidents.services.timeline import timeline_extend
from incidents.services.timers import timers_create
from notifications.services import Message, notify_all
from playbooks.models import RaciRole
from playbooks.schedule import escalation_times, scaled


def escalation_timers(*, task: Task, incident: Incident, from_level: int = 1) -> list[Timer]:
    """Unsaved timers for the task's escalation levels from `from_level` on, from its due time."""
    times = escalation_times(
        due_at=task.due_at, escalate_after=task.escalation_delay, clock_rate=incident.clock_rate
    )
    return [
        Timer(kind=TimerKind.ESCALATION, incident=incident, task=task, level=level, due_at=due_at)
        for level, due_at in enumerate(times, start=1)
        if level >= from_level
    ]


def open_task(*, task: Task, incident: Incident, started_at: dt.datetime) -> list[Timer]:
    """Opens the task in memory (due time from its tier's start) and returns its escalation timers."""
    task.state = TaskState.OPEN
    task.opened_at = started_at
    task.due_at = started_at + scaled(task.step.due_after, incident.clock_rate)
    chain = escalation_timers(task=task, incident=incident)
    task.next_escalation_at = chain[0].due_at
    return chain


def open_tier_tasks(
    *, incident: Incident, tier, started_at: dt.datetime, now: dt.datetime
) -> tuple[list[Task], list[TimelineEntry]]:
    """Opens the tier's pending tasks, records who is on call for their on-call parties and starts
    their escalation timers; returns the tasks and the timeline's unsaved entries about on call."""
    tasks = list(
        incident.tasks.filter(tier=tier, state=TaskState.PENDING)
        .select_related("step")
        .prefetch_related("assignments__team", "assignments__user", "assignments__on_call_person")
    )
    assignments = [a for task in tasks for a in task.assignments.all()]
    on_call_entries = on_call_record(
        incident=incident, assignments=assignments, opened_at=started_at, now=now
    )
    TaskAssignment.objects.bulk_update(recipients.on_call_parties(assignments), ["on_call_person"])
    timers = [
        timer for task in tasks for timer in open_task(task=task, incident=incident, started_at=started_at)
    ]
    # One UPDATE per distinct due time (steps of a tier share few), not one per task.
    by_due_time = defaultdict(list)
    for task in tasks:
        by_due_time[task.due_at].append(task.pk)
    for due_at, task_ids in by_due_time.items():
        Task.objects.filter(pk__in=task_ids).update(
            state=TaskState.OPEN, opened_at=started_at, due_at=due_at, next_escalation_at=due_at
        )
    timers_create(timers=timers, now=now)
    tell_tier_started(incident=incident, tier=tier, assignments=assignments)
    return tasks, on_call_entries


def tell_tier_started(*, incident: Incident, tier, assignments: list) -> None:
    """The tier's Informed hear that it started; its Responsible, that they have work now."""
    directory = recipients.Directory()
    fields = telling.incident_fields(
        incident=incident, participants=telling.Participants(directory).of(incident)
    )
    notify_all(
        [
            Message(
                recipients=directory.told_first(recipients.of_roles(assignments, RaciRole.INFORMED)),
                kind=happenings.TIER_STARTED.notification,
                title=format_lazy(
                    _("{incident}: {tier} has started"), incident=incident.reader_title, tier=tier.name
                ),
                **fields,
            ),
            Message(
                recipients=directory.told_first(recipients.of_roles(assignments, RaciRole.RESPONSIBLE)),
                kind=happenings.TASK_OPENED.notification,
                title=format_lazy(
                    _("{incident}: {tier} has started and you have tasks in it"),
                    incident=incident.reader_title,
                    tier=tier.name,
                ),
                **fields,
            ),
        ]
    )


def tier_start(*, incident: Incident, tier, started_at: dt.datetime, actor, now: dt.datetime) -> list[Task]:
    """Moves the incident (locked by the caller) into `tier`; earlier tiers' tasks stay as they are."""
    previous = incident.current_tier
    incident.current_tier = tier
    incident.tier_started_at = started_at
    Incident.objects.filter(pk=incident.pk).update(current_tier=tier, tier_started_at=started_at)
    opened, on_call_entries = open_tier_tasks(incident=incident, tier=tier, started_at=started_at, now=now)
    started = TimelineEntry(
        type=happenings.TIER_STARTED.timeline,
        at=now,
        actor=actor,
        data={"from": previous.key, "to": tier.key, "opened": [task.pk for task in opened]},
    )
    timeline_extend(incident=incident, entries=[started, *on_call_entries])
    return opened
