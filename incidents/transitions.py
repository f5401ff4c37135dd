"""The allowed moves of an incident's status and a task's state. Anything else is a 409."""

from django.utils.translation import gettext as _

from core.errors import InvalidTransition
from incidents.models import IncidentStatus, TaskState

INCIDENT_TRANSITIONS = {
    IncidentStatus.ACTIVE: {IncidentStatus.STABILIZED, IncidentStatus.RESOLVED},
    IncidentStatus.STABILIZED: {IncidentStatus.ACTIVE, IncidentStatus.RESOLVED},
    IncidentStatus.RESOLVED: {IncidentStatus.CLOSED, IncidentStatus.ACTIVE},
    IncidentStatus.CLOSED: {IncidentStatus.ACTIVE},
}

TASK_TRANSITIONS = {
    TaskState.PENDING: {TaskState.OPEN, TaskState.SKIPPED},
    TaskState.OPEN: {TaskState.ACKNOWLEDGED, TaskState.DONE, TaskState.SKIPPED},
    TaskState.ACKNOWLEDGED: {TaskState.DONE, TaskState.SKIPPED},
    TaskState.DONE: set(),
    TaskState.SKIPPED: set(),
}

# Statuses in which the clock runs: tiers advance and tasks escalate.
LIVE_STATUSES = {IncidentStatus.ACTIVE, IncidentStatus.STABILIZED}
# States of a task that still needs doing.
UNFINISHED_STATES = {TaskState.PENDING, TaskState.OPEN, TaskState.ACKNOWLEDGED}


def check_incident_move(current: str, target: str) -> None:
    if target not in INCIDENT_TRANSITIONS[current]:
        raise InvalidTransition(
            _("An incident that is %(current)s cannot become %(target)s.")
            % {"current": IncidentStatus(current).label, "target": IncidentStatus(target).label}
        )


def check_task_move(current: str, target: str) -> None:
    if target not in TASK_TRANSITIONS[current]:
        raise InvalidTransition(
            _("A task that is %(current)s cannot become %(target)s.")
            % {"current": TaskState(current).label, "target": TaskState(target).label}
        )
