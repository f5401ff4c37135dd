"""What the commander changes while running an incident: its severity and title, who holds its
roles, the risks it is linked to, and tasks the playbook did not foresee.

Each change locks the incident, writes one timeline entry (with the reason given) and publishes
its live event after commit. A closed incident changes no more (reopen it first).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import InvalidTransition
from incidents import happenings, recipients, telling
from incidents.models import (
    Incident,
    IncidentRole,
    IncidentStatus,
    RoleHolding,
    Task,
    TaskAssignment,
    TaskState,
)
from incidents.recipients import Directory
from incidents.services.cadence import update_timers_replan
from incidents.services.locking import incident_lock
from incidents.services.on_call import assignments_create
from incidents.services.tiers import escalation_timers
from incidents.services.timeline import timeline_append, timeline_extend
from incidents.services.timers import timers_create
from incidents.transitions import LIVE_STATUSES
from notifications.services import Message, notify_all
from playbooks.models import RaciRole
from playbooks.schedule import scaled
from risks.acceptances import acceptances_lapse_for_incident

MAX_TITLE = Incident._meta.get_field("title").max_length


def _reason(reason: str, errors: dict, *, required: bool = True) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        errors["reason"] = [_("Say why.")]
    return reason


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _open_incident(incident_id: int) -> Incident:
    incident = incident_lock(incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise InvalidTransition(_("A closed incident does not change; reopen it first."))
    return incident


def _field_change(incident, field: str, value, happening, unchanged: str, reason: str, by, now) -> None:
    """One of the locked incident's fields set to `value`, on the timeline with the reason."""
    previous = getattr(incident, field)
    if value == previous:
        raise ValidationError({field: [unchanged]})
    setattr(incident, field, value)
    Incident.objects.filter(pk=incident.pk).update(**{field: value})
    data = {"from": previous, "to": value, "reason": reason}
    timeline_append(incident=incident, type=happening.timeline, at=now, actor=by, data=data)


@transaction.atomic
def incident_change_severity(
    *, incident_id: int, severity, reason: str, by, now: dt.datetime | None = None
) -> Incident:
    """A new severity; the status-update cadence follows it from the last update."""
    now = now or timezone.now()
    errors = {}
    if not isinstance(severity, int) or isinstance(severity, bool) or not 1 <= severity <= 4:
        errors["severity"] = [_("Severity is SEV1 (the worst) to SEV4.")]
    reason = _reason(reason, errors)
    _raise(errors)
    incident = _open_incident(incident_id)
    unchanged = _("The incident already has this severity.")
    _field_change(incident, "severity", severity, happenings.SEVERITY_CHANGED, unchanged, reason, by, now)
    update_timers_replan(incident=incident, now=now)
    return incident


@transaction.atomic
def incident_change_title(
    *, incident_id: int, title: str, reason: str, by, now: dt.datetime | None = None
) -> Incident:
    now = now or timezone.now()
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("A title is required.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("At most %(max)d characters.") % {"max": MAX_TITLE}]
    reason = _reason(reason, errors)
    _raise(errors)
    incident = _open_incident(incident_id)
    unchanged = _("The incident already has this title.")
    _field_change(incident, "title", title, happenings.TITLE_CHANGED, unchanged, reason, by, now)
    return incident


@transaction.atomic
def incident_assign_role(
    *, incident_id: int, role: str, user, by, reason: str = "", now: dt.datetime | None = None
) -> Incident:
    """Hands a role to a person (the previous holder's time ends now), or releases it (`user`
    None; the commander's role is never left empty). Changing the commander needs a reason."""
    now = now or timezone.now()
    errors = {}
    if role not in IncidentRole.values:
        errors["role"] = [_("Choose a role: commander, communications lead or scribe.")]
    if user is not None and not user.is_active:
        errors["user"] = [_("Choose an active person.")]
    if role == IncidentRole.COMMANDER and user is None:
        errors["user"] = [_("An incident always has a commander.")]
    reason = _reason(reason, errors, required=role == IncidentRole.COMMANDER)
    _raise(errors)
    incident = _open_incident(incident_id)
    current = (
        RoleHolding.objects.select_for_update().filter(incident=incident, role=role, ended_at=None).first()
    )
    current_user_id = current.user_id if current else None
    if role == IncidentRole.COMMANDER:
        current_user_id = incident.commander_id
    if current_user_id == (user.pk if user else None):
        field = "user"
        message = _("This person already holds the role.") if user else _("Nobody holds this role.")
        raise ValidationError({field: [message]})
    if current:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    if user is not None:
        RoleHolding.objects.create(
            incident=incident, role=role, user=user, started_at=now, assigned_by=by, reason=reason
        )
    if role == IncidentRole.COMMANDER:
        incident.commander = user
        Incident.objects.filter(pk=incident.pk).update(commander=user)
    timeline_append(
        incident=incident,
        type=happenings.ROLE_ASSIGNED.timeline,
        at=now,
        actor=by,
        data={"role": role, "user": user.pk if user else None, "previous": current_user_id, "reason": reason},
    )
    if user is not None and user != by:
        notify_all(
            [
                Message(
                    recipients=[user],
                    kind=happenings.ROLE_ASSIGNED.notification,
                    title=format_lazy(
                        gettext_lazy("{incident}: you are now its {role}"),
                        incident=incident.reader_title,
                        role=IncidentRole(role).label,
                    ),
                    **telling.incident_fields(incident=incident, participants=frozenset({user.pk})),
                )
            ]
        )
    return incident


def _link_data(risk, reason: str) -> dict:
    return {"risk": risk.pk, "title": risk.title, "reason": reason}


@transaction.atomic
def incident_link_risk(*, incident_id: int, risk, by, reason: str = "", now: dt.datetime | None = None):
    """`risk` is a Risk row, already checked to exist."""
    now = now or timezone.now()
    incident = _open_incident(incident_id)
    if incident.risks.filter(pk=risk.pk).exists():
        raise ValidationError({"risk": [_("This risk is already linked to the incident.")]})
    incident.risks.add(risk)
    if not incident.drill and incident.status in LIVE_STATUSES:  # the risk materialised: no longer accepted
        acceptances_lapse_for_incident(
            risks=[risk], incident_id=incident.pk, title=incident.title, title_zh=incident.title_zh, now=now
        )
    timeline_append(
        incident=incident,
        type=happenings.RISK_LINKED.timeline,
        at=now,
        actor=by,
        data=_link_data(risk, (reason or "").strip()),
    )
    return incident


@transaction.atomic
def incident_unlink_risk(*, incident_id: int, risk, by, reason: str = "", now: dt.datetime | None = None):
    now = now or timezone.now()
    incident = _open_incident(incident_id)
    if not incident.risks.filter(pk=risk.pk).exists():
        raise ValidationError({"risk": [_("This risk is not linked to the incident.")]})
    incident.risks.remove(risk)
    timeline_append(
        incident=incident,
        type=happenings.RISK_UNLINKED.timeline,
        at=now,
        actor=by,
        data=_link_data(risk, (reason or "").strip()),
    )
    return incident


def _check_parties(*, responsible, accountable, errors: dict) -> None:
    if not responsible:
        errors["responsible"] = [_("At least one Responsible is required.")]
    if not accountable:
        errors["accountable"] = [_("Exactly one Accountable is required.")]


@transaction.atomic
def task_add(
    *,
    incident_id: int,
    title: str,
    responsible: list[dict],
    accountable: dict | None,
    escalate_after: dt.timedelta | None,
    by,
    due_at: dt.datetime | None = None,
    due_after: dt.timedelta | None = None,
    consulted: list[dict] = (),
    informed: list[dict] = (),
    now: dt.datetime | None = None,
) -> Task:
    """A task the playbook did not foresee, open at once in the current tier, escalating like a
    playbook task (levels 1–3 from its due time, every `escalate_after`). `due_at` is a moment;
    `due_after` and `escalate_after` are plan time (in a drill divided by the clock rate).
    Parties are {"team": Team}, {"team": Team, "on_call": True} or {"user": User}, already checked."""
    now = now or timezone.now()
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("A title is required.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("At most %(max)d characters.") % {"max": MAX_TITLE}]
    _check_parties(responsible=responsible, accountable=accountable, errors=errors)
    if (due_at is None) == (due_after is None):
        errors["due_at"] = [_("Give a due time, or how long from now it is due.")]
    elif due_after is not None and due_after <= dt.timedelta(0):
        errors["due_after"] = [_("Must be longer than zero.")]
    elif due_at is not None and due_at <= now:
        errors["due_at"] = [_("The due time must be in the future.")]
    if escalate_after is None or escalate_after <= dt.timedelta(0):
        errors["escalate_after"] = [_("Say how long after the due time each escalation comes.")]
    _raise(errors)
    incident = incident_lock(incident_id)
    if incident.status not in LIVE_STATUSES:
        raise InvalidTransition(_("Tasks are added only to a live incident."))
    if due_at is None:
        due_at = now + scaled(due_after, incident.clock_rate)
    task = Task(
        incident=incident,
        step=None,
        tier=incident.current_tier,
        title=title,
        state=TaskState.OPEN,
        opened_at=now,
        due_at=due_at,
        escalate_after=escalate_after,
        created_by=by,
    )
    chain = escalation_timers(task=task, incident=incident)
    task.next_escalation_at = chain[0].due_at
    task.save()
    parties = [
        *((RaciRole.RESPONSIBLE, party) for party in responsible),
        (RaciRole.ACCOUNTABLE, accountable),
        *((RaciRole.CONSULTED, party) for party in consulted),
        *((RaciRole.INFORMED, party) for party in informed),
    ]
    assignments, on_call_entries = assignments_create(incident=incident, task=task, parties=parties, now=now)
    timers_create(timers=chain, now=now)
    timeline_append(
        incident=incident,
        type=happenings.TASK_ADDED.timeline,
        at=now,
        actor=by,
        data={
            "task": task.pk,
            "title": title,
            "due_at": due_at.isoformat(),
            "tier": incident.current_tier.key,
        },
    )
    timeline_extend(incident=incident, entries=on_call_entries)
    _tell_responsible(incident=incident, task=task, assignments=assignments)
    return task


def _tell_responsible(*, incident: Incident, task: Task, assignments: list[TaskAssignment]) -> None:
    """The Responsible parties hear of their new task: an on-call party's person on call, first."""
    directory = Directory()
    people = directory.told_first(recipients.of_roles(assignments, RaciRole.RESPONSIBLE))
    notify_all(
        [
            Message(
                recipients=people,
                kind=happenings.TASK_ADDED.notification,
                title=format_lazy(
                    gettext_lazy("{incident}: a task was added for you: “{task}”"),
                    incident=incident.reader_title,
                    task=task.title,
                ),
                **telling.incident_fields(
                    incident=incident, participants=telling.Participants(directory).of(incident)
                ),
            )
        ]
    )
