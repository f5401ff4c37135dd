"""What can happen to an incident, and the names each happening goes by.

A happening is written to the incident's timeline as an entry of type `timeline`, reaches
browsers as a live event of type `event` (both part of the API contract, docs in API.md), and
may tell people with a notification of kind `notification` (the kinds people set preferences
for are listed in notifications/kinds.py). Services, live events and notifications read the
names from here, so that one happening has one row.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Happening:
    timeline: str | None
    event: str | None
    notification: str | None = None


INCIDENT_DECLARED = Happening("incident.declared", "incident.declared")
INCIDENT_STABILIZED = Happening("incident.stabilized", "incident.updated")
INCIDENT_REOPENED = Happening("incident.reopened", "incident.updated")
INCIDENT_RESOLVED = Happening("incident.resolved", "incident.resolved")
INCIDENT_CLOSED = Happening("incident.closed", "incident.updated")
# A tier starts (tier 1 with the declaration, the others later): its Informed are told.
TIER_STARTED = Happening("tier.changed", "incident.tier_changed", "tier.started")
# A task opens when its tier starts; the tier's entry lists it, and its Responsible are told.
TASK_OPENED = Happening(None, None, "task.opened")
TASK_ACKNOWLEDGED = Happening("task.acknowledged", "task.updated")
TASK_COMPLETED = Happening("task.completed", "task.updated")
TASK_SKIPPED = Happening("task.skipped", "task.updated")
TASK_REASSIGNED = Happening("task.reassigned", "task.updated")
# Escalation level 1 (the due time) is the task overdue; the later levels are escalations.
TASK_OVERDUE = Happening("task.overdue", "task.overdue", "task.overdue")
ESCALATION_FIRED = Happening("escalation.fired", "escalation.fired", "escalation")
# A status update: the incident's followers (notifications' subscriptions) are told.
STATUS_UPDATE = Happening("status.update", "timeline.appended", "status.update")
# The commander changes what the incident is and who runs it, each with a reason.
SEVERITY_CHANGED = Happening("incident.severity_changed", "incident.updated")
TITLE_CHANGED = Happening("incident.title_changed", "incident.updated")
# A role (commander, communications lead, scribe) handed to a person, or released; the new
# holder is told.
ROLE_ASSIGNED = Happening("role.assigned", "incident.updated", "role.assigned")
RISK_LINKED = Happening("risk.linked", "incident.updated")
RISK_UNLINKED = Happening("risk.unlinked", "incident.updated")
# A task added during the incident opens at once: its Responsible are told, as for a tier's tasks.
TASK_ADDED = Happening("task.added", "task.updated", TASK_OPENED.notification)
# The update cadence: a status update falls due (the commander and the communications lead are
# reminded), then, missed by another cadence period, escalates to the executives.
UPDATE_DUE = Happening("update.due", "update.due", "update.due")
UPDATE_MISSED = Happening("update.missed", "update.missed", ESCALATION_FIRED.notification)
# A task with an on-call party opens: who is on call for the team is told first (nobody: the
# whole team). While it is open, the on-call person changes: the new one is told what is open.
ON_CALL_FOUND = Happening("on_call.found", "timeline.appended")
ON_CALL_HANDED_OFF = Happening("on_call.handed_off", "task.updated", TASK_OPENED.notification)
REVIEW_COMPLETED = Happening("review.completed", "timeline.appended")
REVIEW_WAIVED = Happening("review.waived", "timeline.appended")
# An integration's alerts: more of an open group's alerts firing or resolving, then all resolved.
ALERT_RECEIVED = Happening("alert.received", "timeline.appended")
ALERTS_RESOLVED = Happening("alert.resolved", "timeline.appended")

HAPPENINGS = (
    INCIDENT_DECLARED,
    INCIDENT_STABILIZED,
    INCIDENT_REOPENED,
    INCIDENT_RESOLVED,
    INCIDENT_CLOSED,
    TIER_STARTED,
    TASK_OPENED,
    TASK_ACKNOWLEDGED,
    TASK_COMPLETED,
    TASK_SKIPPED,
    TASK_REASSIGNED,
    TASK_OVERDUE,
    ESCALATION_FIRED,
    STATUS_UPDATE,
    SEVERITY_CHANGED,
    TITLE_CHANGED,
    ROLE_ASSIGNED,
    RISK_LINKED,
    RISK_UNLINKED,
    TASK_ADDED,
    UPDATE_DUE,
    UPDATE_MISSED,
    ON_CALL_FOUND,
    ON_CALL_HANDED_OFF,
    REVIEW_COMPLETED,
    REVIEW_WAIVED,
    ALERT_RECEIVED,
    ALERTS_RESOLVED,
)

# Timeline entry type → the contract's event type; an entry of a type not listed here is
# sent as a plain timeline.appended.
EVENT_TYPES = {happening.timeline: happening.event for happening in HAPPENINGS if happening.timeline}
DEFAULT_EVENT_TYPE = STATUS_UPDATE.event


def escalation_at(level: int) -> Happening:
    """What an escalation timer of this level is: at the due time, the task is overdue."""
    return TASK_OVERDUE if level == 1 else ESCALATION_FIRED


def update_due_at(level: int) -> Happening:
    """What an update-cadence timer of this level is: at the due time, a reminder."""
    return UPDATE_DUE if level == 1 else UPDATE_MISSED
