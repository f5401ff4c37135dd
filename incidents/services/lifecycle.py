"""An incident's status, tier and status updates, changed by people."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidTransition
from incidents import happenings
from incidents.models import (
    Incident,
    IncidentStatus,
    Task,
    TaskState,
    TimelineEntry,
    Timer,
    TimerKind,
    TimerState,
)
from incidents.services import hooks
from incidents.services.cadence import update_timers_plan
from incidents.services.following import followers_tell
from incidents.services.locking import incident_lock
from incidents.services.tiers import escalation_timers, tier_start
from incidents.services.timeline import timeline_append, timeline_extend
from incidents.services.timers import timers_cancel, timers_create
from incidents.transitions import UNFINISHED_STATES, check_incident_move
from notifications.rules import repeats_stop
from playbooks.schedule import scaled


def _move(
    *, incident: Incident, target: str, by, now: dt.datetime, entry: str, data: dict | None = None
) -> Incident:
    check_incident_move(incident.status, target)
    data = {"from": incident.status, "to": target, **(data or {})}
    incident.status = target
    fields = {"status": target}
    if target == IncidentStatus.RESOLVED:
        incident.resolved_at = fields["resolved_at"] = now
    if target == IncidentStatus.CLOSED:
        incident.closed_at = fields["closed_at"] = now
    Incident.objects.filter(pk=incident.pk).update(**fields)
    timeline_append(incident=incident, type=entry, at=now, actor=by, data=data)
    return incident


@transaction.atomic
def incident_stabilize(*, incident_id: int, by, now: dt.datetime | None = None) -> Incident:
    incident = incident_lock(incident_id)
    return _move(
        incident=incident,
        target=IncidentStatus.STABILIZED,
        by=by,
        now=now or timezone.now(),
        entry=happenings.INCIDENT_STABILIZED.timeline,
    )


OPEN_TASK_CHOICES = ("keep", "skip")


@transaction.atomic
def incident_resolve(
    *,
    incident_id: int,
    by,
    summary: str | None = None,
    open_tasks: str = "keep",
    skip_reason: str = "",
    now: dt.datetime | None = None,
) -> Incident:
    """Resolving stops the clock: every pending timer is cancelled. Tasks still open are kept
    for follow-up (they stay as they are, and no longer escalate) or skipped with a reason.
    Then the steps other apps registered run (hooks.py): reviews opens the incident's review.

    `summary` None means none was asked for (the contract's bare POST); given, it must say
    something, and the incident keeps it."""
    now = now or timezone.now()
    errors = {}
    if summary is not None and not summary.strip():
        errors["summary"] = [_("Say how the incident was resolved.")]
    if open_tasks not in OPEN_TASK_CHOICES:
        errors["open_tasks"] = [_("Keep the open tasks for follow-up, or skip them.")]
    elif open_tasks == "skip" and not (skip_reason or "").strip():
        errors["skip_reason"] = [_("Say why the open tasks are skipped.")]
    if errors:
        raise ValidationError(errors)
    incident = incident_lock(incident_id)
    check_incident_move(incident.status, IncidentStatus.RESOLVED)
    unfinished = list(incident.tasks.filter(state__in=UNFINISHED_STATES).order_by("pk"))
    skipped = unfinished if open_tasks == "skip" else []
    if skipped:
        _skip_all(incident=incident, tasks=skipped, reason=skip_reason.strip(), by=by, now=now)
    data = {"open_tasks": open_tasks, "kept": [task.pk for task in unfinished if task not in skipped]}
    if summary is not None:
        incident.resolution_summary = summary.strip()
        Incident.objects.filter(pk=incident.pk).update(resolution_summary=incident.resolution_summary)
        data["summary"] = incident.resolution_summary
    _move(
        incident=incident,
        target=IncidentStatus.RESOLVED,
        by=by,
        now=now,
        entry=happenings.INCIDENT_RESOLVED.timeline,
        data=data,
    )
    timers_cancel(queryset=incident.timers.all())
    repeats_stop(incident_id=incident.pk, now=now)
    incident.tasks.exclude(next_escalation_at=None).update(next_escalation_at=None)
    hooks.resolve_steps_run(incident=incident, now=now)
    return incident


def _skip_all(*, incident: Incident, tasks: list[Task], reason: str, by, now: dt.datetime) -> None:
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(
        state=TaskState.SKIPPED, finished_at=now, finished_by=by, note=reason, next_escalation_at=None
    )
    timeline_extend(
        incident=incident,
        entries=[
            TimelineEntry(
                type=happenings.TASK_SKIPPED.timeline,
                at=now,
                actor=by,
                data={"task": task.pk, "from": task.state, "state": TaskState.SKIPPED, "reason": reason},
            )
            for task in tasks
        ],
    )


@transaction.atomic
def incident_close(*, incident_id: int, by, now: dt.datetime | None = None) -> Incident:
    incident = incident_lock(incident_id)
    check_incident_move(incident.status, IncidentStatus.CLOSED)
    hooks.close_checks_run(incident=incident)
    return _move(
        incident=incident,
        target=IncidentStatus.CLOSED,
        by=by,
        now=now or timezone.now(),
        entry=happenings.INCIDENT_CLOSED.timeline,
    )


@transaction.atomic
def incident_reopen(*, incident_id: int, by, reason: str, now: dt.datetime | None = None) -> Incident:
    """Back to active: the clock runs again for tiers not yet started and unfinished tasks."""
    now = now or timezone.now()
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the incident is reopened.")]})
    incident = incident_lock(incident_id)
    was_stopped = incident.status in {IncidentStatus.RESOLVED, IncidentStatus.CLOSED}
    _move(
        incident=incident,
        target=IncidentStatus.ACTIVE,
        by=by,
        now=now,
        entry=happenings.INCIDENT_REOPENED.timeline,
        data={"reason": reason.strip()},
    )
    if was_stopped:
        restart_clock(incident=incident, now=now)
        update_timers_plan(incident=incident, since=now, now=now)
    return incident


def restart_clock(*, incident: Incident, now: dt.datetime) -> None:
    tiers = incident.playbook.tiers.filter(starts_after__gt=incident.current_tier.starts_after)
    timers = [
        Timer(
            kind=TimerKind.TIER_START,
            incident=incident,
            tier=tier,
            due_at=max(now, incident.declared_at + scaled(tier.starts_after, incident.clock_rate)),
        )
        for tier in tiers
    ]
    tasks = list(
        incident.tasks.filter(state__in=[TaskState.OPEN, TaskState.ACKNOWLEDGED]).select_related("step")
    )
    for task in tasks:
        chain = escalation_timers(task=task, incident=incident, from_level=task.escalation_level + 1)
        for timer in chain:
            timer.due_at = max(timer.due_at, now)
        task.next_escalation_at = chain[0].due_at if chain else None
        timers += chain
    Task.objects.bulk_update(tasks, ["next_escalation_at"])
    timers_create(timers=timers, now=now)


@transaction.atomic
def incident_advance_tier(*, incident_id: int, by, now: dt.datetime | None = None) -> Incident:
    """Starts the next tier now, ahead of the clock."""
    now = now or timezone.now()
    incident = incident_lock(incident_id)
    if incident.status not in {IncidentStatus.ACTIVE, IncidentStatus.STABILIZED}:
        raise InvalidTransition(_("Only a live incident moves to its next tier."))
    next_tier = (
        incident.playbook.tiers.filter(starts_after__gt=incident.current_tier.starts_after)
        .order_by("starts_after")
        .first()
    )
    if next_tier is None:
        raise InvalidTransition(_("The incident is already in its last tier."))
    timers_cancel(queryset=incident.timers.filter(kind=TimerKind.TIER_START, tier=next_tier))
    tier_start(incident=incident, tier=next_tier, started_at=now, actor=by, now=now)
    return incident


# The parts of a structured status update, in the order they are read.
UPDATE_PARTS = ("what_happened", "impact", "actions", "needs")


@transaction.atomic
def incident_post_update(
    *,
    incident_id: int,
    by,
    body: str = "",
    what_happened: str = "",
    impact: str = "",
    actions: str = "",
    needs: str = "",
    next_update_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
):
    """A status update: free text (`body`, as the contract always had it) and/or its structured
    parts (what happened, impact, what is being done, what is needed) and when the next one
    comes. The next update is then due one cadence from now, or at `next_update_at` if sooner."""
    now = now or timezone.now()
    parts = {
        name: (value or "").strip()
        for name, value in zip(UPDATE_PARTS, (what_happened, impact, actions, needs), strict=True)
    }
    body = (body or "").strip()
    errors = {}
    if not body and not any(parts.values()):
        errors["body"] = [_("A status update needs some text.")]
    if next_update_at is not None and next_update_at <= now:
        errors["next_update_at"] = [_("The next update must be promised for a later time.")]
    if errors:
        raise ValidationError(errors)
    incident = incident_lock(incident_id)
    data = {"body": body or parts["what_happened"] or next(text for text in parts.values() if text)}
    data.update({name: text for name, text in parts.items() if text})
    if next_update_at is not None:
        data["next_update_at"] = next_update_at.isoformat()
    entry = timeline_append(
        incident=incident, type=happenings.STATUS_UPDATE.timeline, at=now, actor=by, data=data
    )
    update_timers_plan(incident=incident, since=now, now=now, promised=next_update_at)
    followers_tell(incident=incident, entry=entry, by=by)
    return entry


def pending_timer_due(*, incident: Incident, kind: str):
    return (
        incident.timers.filter(kind=kind, state=TimerState.PENDING)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
