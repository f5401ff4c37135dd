"""Who may act on an incident and its tasks (who may see one: `selectors.incidents_visible_to`)."""

from incidents.models import Incident, Task
from playbooks.models import RaciRole


def is_party(user, task: Task, *roles: str) -> bool:
    """Whether the person, or a team of theirs, holds one of these RACI roles on the task."""
    team_ids = {membership.team_id for membership in user.memberships.all()}
    return any(
        a.role in roles and (a.user_id == user.pk or a.team_id in team_ids) for a in task.assignments.all()
    )


def may_command(user, incident: Incident) -> bool:
    return user.is_admin or incident.commander_id == user.pk


def may_work_on(user, task: Task) -> bool:
    """Acknowledge, complete or skip: the Responsible, the Accountable, the commander, admins."""
    return may_command(user, task.incident) or is_party(
        user, task, RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE
    )


def may_reassign(user, task: Task) -> bool:
    return may_command(user, task.incident) or is_party(user, task, RaciRole.ACCOUNTABLE)
