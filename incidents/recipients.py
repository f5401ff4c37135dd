"""Who is told: the people behind a task's RACI, the commander, the executives."""

from collections.abc import Iterable

from people.models import Membership, Role, User
from playbooks.models import RaciRole


def people_behind(assignments: Iterable) -> set[User]:
    """Named people, plus the active members of named teams, for a set of RACI assignments."""
    assignments = list(assignments)
    users = {a.user for a in assignments if a.user_id and a.user.is_active}
    team_ids = {a.team_id for a in assignments if a.team_id}
    if team_ids:
        memberships = Membership.objects.filter(team_id__in=team_ids, user__is_active=True).select_related(
            "user"
        )
        users.update(m.user for m in memberships)
    return users


def of_roles(assignments: Iterable, *roles: str) -> list:
    return [a for a in assignments if a.role in roles]


def executives() -> set[User]:
    return set(User.objects.filter(role=Role.EXECUTIVE, is_active=True))


def escalation_contacts(assignments: Iterable) -> set[User]:
    """The escalation contacts of the teams that are Accountable."""
    return {
        a.team.escalation_contact
        for a in of_roles(assignments, RaciRole.ACCOUNTABLE)
        if a.team_id and a.team.escalation_contact_id and a.team.escalation_contact.is_active
    }
