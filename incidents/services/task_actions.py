"""What people do with a task: acknowledge, complete, skip, reassign."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import InvalidTransition
from incidents import happenings, telling
from incidents.models import Task, TaskState
from incidents.recipients import Directory, of_roles
from incidents.services.locking import incident_lock
from incidents.services.on_call import assignments_create
from incidents.services.tiers import escalation_timers
from incidents.services.timeline import timeline_append, timeline_extend
from incidents.services.timers import timers_cancel, timers_create
from incidents.transitions import LIVE_STATUSES, check_task_move
from notifications.rules import repeats_stop
from notifications.services import Message, notify_all
from playbooks.models import RaciRole


def _locked_task(task_id: int) -> tuple:
    """The task's incident and then the task, locked in that order (the order every writer uses)."""
    incident_id = Task.objects.values_list("incident_id", flat=True).get(pk=task_id)
    incident = incident_lock(incident_id)
    task = Task.objects.select_for_update(of=("self",)).select_related("step").get(pk=task_id)
    return incident, task


def _move(*, task_id: int, target: str, by, now, entry: str, fields: dict, data: dict) -> Task:
    incident, task = _locked_task(task_id)
    check_task_move(task.state, target)
    previous = task.state
    for name, value in {"state": target, **fields}.items():
        setattr(task, name, value)
    task.save(update_fields=["state", *fields])
    repeats_stop(until=[telling.repeat_key(task.pk)], now=now)
    if target in {TaskState.DONE, TaskState.SKIPPED}:
        timers_cancel(queryset=task.timers.all())
        Task.objects.filter(pk=task.pk).update(next_escalation_at=None)
        task.next_escalation_at = None
    timeline_append(
        incident=incident,
        type=entry,
        at=now,
        actor=by,
        data={"task": task.pk, "from": previous, "state": target, **data},
    )
    return task


@transaction.atomic
def task_acknowledge(*, task_id: int, by, now: dt.datetime | None = None) -> Task:
    now = now or timezone.now()
    return _move(
        task_id=task_id,
        target=TaskState.ACKNOWLEDGED,
        by=by,
        now=now,
        entry=happenings.TASK_ACKNOWLEDGED.timeline,
        fields={"acknowledged_at": now, "acknowledged_by": by},
        data={},
    )


@transaction.atomic
def task_complete(*, task_id: int, by, note: str = "", now: dt.datetime | None = None) -> Task:
    now = now or timezone.now()
    return _move(
        task_id=task_id,
        target=TaskState.DONE,
        by=by,
        now=now,
        entry=happenings.TASK_COMPLETED.timeline,
        fields={"finished_at": now, "finished_by": by, "note": note.strip()},
        data={"note": note.strip()},
    )


@transaction.atomic
def task_skip(*, task_id: int, by, reason: str, now: dt.datetime | None = None) -> Task:
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the task is skipped.")]})
    now = now or timezone.now()
    return _move(
        task_id=task_id,
        target=TaskState.SKIPPED,
        by=by,
        now=now,
        entry=happenings.TASK_SKIPPED.timeline,
        fields={"finished_at": now, "finished_by": by, "note": reason.strip()},
        data={"reason": reason.strip()},
    )


@transaction.atomic
def task_reassign(
    *,
    task_id: int,
    by,
    responsible: list[dict] | None = None,
    accountable: dict | None = None,
    due_at: dt.datetime | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Task:
    """New Responsible and/or Accountable parties, and/or a new due time (its timers move with it).

    Parties are {"team": Team}, {"team": Team, "on_call": True} or {"user": User}, already checked.
    """
    now = now or timezone.now()
    if responsible is None and accountable is None and due_at is None:
        raise ValidationError(
            {"detail": [_("Give new responsible parties, a new accountable or a new due time.")]}
        )
    if responsible is not None and not responsible:
        raise ValidationError({"responsible": [_("At least one Responsible is required.")]})
    incident, task = _locked_task(task_id)
    if task.state in {TaskState.DONE, TaskState.SKIPPED}:
        raise InvalidTransition(_("A finished task cannot be reassigned."))
    changes, on_call_entries, handed = {}, [], []
    if responsible is not None:
        assignments, entries = _replace_parties(
            incident=incident, task=task, role=RaciRole.RESPONSIBLE, parties=responsible, now=now
        )
        handed, on_call_entries = handed + assignments, on_call_entries + entries
        changes["responsible"] = [_party_json(party) for party in responsible]
    if accountable is not None:
        assignments, entries = _replace_parties(
            incident=incident, task=task, role=RaciRole.ACCOUNTABLE, parties=[accountable], now=now
        )
        handed, on_call_entries = handed + assignments, on_call_entries + entries
        changes["accountable"] = _party_json(accountable)
    if responsible is not None or accountable is not None:
        repeats_stop(until=[telling.repeat_key(task.pk)], now=now)  # they repeated to the parties replaced
    if due_at is not None:
        if task.state == TaskState.PENDING:
            raise InvalidTransition(_("A task's due time is set when its tier starts."))
        _move_due_time(task=task, incident=incident, due_at=due_at, now=now)
        changes["due_at"] = due_at.isoformat()
    timeline_append(
        incident=incident,
        type=happenings.TASK_REASSIGNED.timeline,
        at=now,
        actor=by,
        data={"task": task.pk, "state": task.state, "reason": reason.strip(), **changes},
    )
    timeline_extend(incident=incident, entries=on_call_entries)
    if task.state in {TaskState.OPEN, TaskState.ACKNOWLEDGED}:  # a pending task's come with its tier
        _tell_handed(incident=incident, task=task, assignments=handed, by=by)
    return task


def _tell_handed(*, incident, task: Task, assignments: list, by) -> None:
    """The people the task was handed to hear it is theirs now (an on-call party's person on call
    first), with a link to acknowledge it; whoever handed it over is not told."""
    directory = Directory()
    fields = telling.incident_fields(
        incident=incident,
        task=task,
        participants=telling.Participants(directory).of(incident),
        directory=directory,
    )
    titles = {
        RaciRole.RESPONSIBLE: gettext_lazy("{incident}: “{task}” was reassigned to you"),
        RaciRole.ACCOUNTABLE: gettext_lazy("{incident}: you are now accountable for “{task}”"),
    }
    notify_all(
        [
            Message(
                recipients=directory.told_first(of_roles(assignments, role)) - {by},
                kind=happenings.TASK_OPENED.notification,
                title=format_lazy(title, incident=incident.reader_title, task=task.title),
                **fields,
            )
            for role, title in titles.items()
        ]
    )


def _party_json(party: dict) -> dict:
    if "user" in party:
        return {"user": party["user"].pk}
    return {"team": party["team"].pk, **({"on_call": True} if party.get("on_call") else {})}


def _replace_parties(*, incident, task: Task, role: str, parties: list[dict], now: dt.datetime) -> tuple:
    """The new assignments, and the timeline entries saying who is on call for them."""
    task.assignments.filter(role=role).delete()
    return assignments_create(
        incident=incident, task=task, parties=[(role, party) for party in parties], now=now
    )


def _move_due_time(*, task: Task, incident, due_at: dt.datetime, now: dt.datetime) -> None:
    timers_cancel(queryset=task.timers.all())
    task.due_at = due_at
    task.escalation_level = 0
    chain = escalation_timers(task=task, incident=incident) if incident.status in LIVE_STATUSES else []
    task.next_escalation_at = chain[0].due_at if chain else None
    task.save(update_fields=["due_at", "escalation_level", "next_escalation_at"])
    timers_create(timers=chain, now=now)
