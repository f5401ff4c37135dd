"""Declaring an incident from a published playbook: tasks in bulk, the first tier open, timers set."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import happenings
from incidents.models import (
    MAX_CLOCK_RATE,
    Incident,
    IncidentRole,
    RoleHolding,
    Task,
    TaskAssignment,
    Timer,
    TimerKind,
)
from incidents.services.cadence import update_timers_plan
from incidents.services.on_call import on_call_record
from incidents.services.tiers import escalation_timers, open_task, tell_tier_started
from incidents.services.timeline import timeline_append, timeline_extend
from incidents.services.timers import timers_create
from playbooks.models import Playbook
from playbooks.schedule import scaled
from playbooks.selectors import playbook_get_published
from risks.acceptances import acceptances_lapse_for_incident


def check_declaration(*, title: str, severity, drill: bool, clock_rate, commander) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("A title is required.")]
    if not isinstance(severity, int) or not 1 <= severity <= 4:
        errors["severity"] = [_("Severity is 1 (the worst) to 4.")]
    if not isinstance(clock_rate, int) or not 1 <= clock_rate <= MAX_CLOCK_RATE:
        errors["clock_rate"] = [
            _("The clock rate is a whole number from 1 to %(max)d.") % {"max": MAX_CLOCK_RATE}
        ]
    elif clock_rate > 1 and not drill:
        errors["clock_rate"] = [_("Only a drill may run a faster clock; a real incident runs at 1.")]
    if commander is None or not commander.is_active:
        errors["commander"] = [_("The commander must be an active person.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def incident_declare(
    *,
    title: str,
    title_zh: str = "",
    severity: int,
    playbook_id: int,
    commander,
    declared_by,
    risks=(),
    drill: bool = False,
    clock_rate: int = 1,
    declared_for: dict | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """`risks` are the Risk rows that materialised, already checked to exist. `declared_by` None with
    `declared_for`: the system declares it on behalf of what it names (a KRI's breach and the reading
    that crossed), which its timeline entry records instead of a person."""
    now = now or timezone.now()
    check_declaration(title=title, severity=severity, drill=drill, clock_rate=clock_rate, commander=commander)
    try:
        playbook = playbook_get_published(playbook_id=playbook_id)
    except Playbook.DoesNotExist:
        raise ValidationError({"playbook": [_("Choose a published playbook.")]}) from None
    tiers = sorted(playbook.tiers.all(), key=lambda tier: tier.starts_after)
    first_tier = tiers[0]

    incident = Incident.objects.create(
        title=title.strip(),
        title_zh=title_zh.strip(),
        severity=severity,
        drill=drill,
        clock_rate=clock_rate,
        playbook=playbook,
        commander=commander,
        declared_by=declared_by,
        declared_at=now,
        current_tier=first_tier,
        tier_started_at=now,
    )
    incident.risks.set(risks)
    if not drill:  # an exercise never lapses a real acceptance
        acceptances_lapse_for_incident(
            risks=risks, incident_id=incident.pk, title=incident.title, title_zh=incident.title_zh, now=now
        )
    RoleHolding.objects.create(
        incident=incident,
        role=IncidentRole.COMMANDER,
        user=commander,
        started_at=now,
        assigned_by=declared_by,
    )
    steps = list(playbook.steps.all())
    tasks = [Task(incident=incident, step=step, tier=step.tier, title=step.title) for step in steps]
    first_tasks = [task for task in tasks if task.tier == first_tier]
    for task in first_tasks:
        open_task(task=task, incident=incident, started_at=now)
    Task.objects.bulk_create(tasks)
    assignments = [
        TaskAssignment(task=task, role=entry.role, team=entry.team, user=entry.user, on_call=entry.on_call)
        for task, step in zip(tasks, steps, strict=True)
        for entry in step.raci.all()
    ]
    first_ids = {task.pk for task in first_tasks}
    first_assignments = [a for a in assignments if a.task.pk in first_ids]
    on_call_entries = on_call_record(incident=incident, assignments=first_assignments, opened_at=now, now=now)
    TaskAssignment.objects.bulk_create(assignments)
    tier_starts = [
        Timer(
            kind=TimerKind.TIER_START,
            incident=incident,
            tier=tier,
            due_at=now + scaled(tier.starts_after, clock_rate),
        )
        for tier in tiers[1:]
    ]
    escalations = [timer for task in first_tasks for timer in escalation_timers(task=task, incident=incident)]
    timers_create(timers=tier_starts + escalations, now=now)
    timeline_append(
        incident=incident,
        type=happenings.INCIDENT_DECLARED.timeline,
        at=now,
        actor=declared_by,
        data={
            "title": incident.title,
            "severity": severity,
            "playbook": {"id": playbook.pk, "version": playbook.version},
            "commander": commander.pk,
            "risks": sorted(risk.pk for risk in risks),
            "drill": drill,
            "clock_rate": clock_rate,
            "tier": first_tier.key,
            **({"declared_for": declared_for} if declared_for else {}),
        },
    )
    timeline_extend(incident=incident, entries=on_call_entries)
    update_timers_plan(incident=incident, since=now, now=now, first=True)
    tell_tier_started(incident=incident, tier=first_tier, assignments=first_assignments)
    return incident
