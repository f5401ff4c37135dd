"""What each escalation level does, and to whom.

Level 1 (at the due time): the task is overdue; its Responsible and Accountable are told.
Level 2 (one escalation delay later): the Accountable and the incident commander.
Level 3 (two delays later): the executives and the Accountable team's escalation contact.
"""

import datetime as dt

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents import recipients
from incidents.models import Incident, Task, Timer, TimerState
from incidents.services.timeline import timeline_append
from incidents.transitions import LIVE_STATUSES
from notifications.services import notify
from playbooks.models import RaciRole

TITLES = {
    1: _("{incident}: “{task}” is overdue"),
    2: _("{incident}: “{task}” escalated to you (level 2)"),
    3: _("{incident}: “{task}” escalated to executives (level 3)"),
}


def people_for_level(*, level: int, task: Task, incident: Incident) -> set:
    assignments = list(task.assignments.select_related("team__escalation_contact", "user"))
    if level == 1:
        return recipients.people_behind(
            recipients.of_roles(assignments, RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE)
        )
    if level == 2:
        return recipients.people_behind(recipients.of_roles(assignments, RaciRole.ACCOUNTABLE)) | {
            incident.commander
        }
    return recipients.executives() | recipients.escalation_contacts(assignments)


def escalation_fire(*, timer: Timer, incident: Incident, now: dt.datetime) -> None:
    task = Task.objects.select_related("step").get(pk=timer.task_id)
    if incident.status not in LIVE_STATUSES or task.state not in {"open", "acknowledged"}:
        return  # a timer that outlived its task: claimed, and nothing to say
    people = people_for_level(level=timer.level, task=task, incident=incident)
    notify(
        recipients=people,
        kind="task.overdue" if timer.level == 1 else "escalation",
        title=format_lazy(TITLES[timer.level], incident=incident.title, task=task.title),
        url=f"/incidents/{incident.pk}/",
        incident_id=incident.pk,
    )
    task.escalation_level = timer.level
    task.next_escalation_at = (
        Timer.objects.filter(task=task, state=TimerState.PENDING)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    Task.objects.filter(pk=task.pk).update(
        escalation_level=task.escalation_level, next_escalation_at=task.next_escalation_at
    )
    timeline_append(
        incident=incident,
        type="task.overdue" if timer.level == 1 else "escalation.fired",
        at=now,
        data={
            "task": task.pk,
            "level": timer.level,
            "due_at": timer.due_at.isoformat(),
            "notified": sorted(person.pk for person in people),
        },
    )
