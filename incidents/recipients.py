"""Who is told: the people behind a task's RACI (an on-call party's person first), the commander,
the executives."""

from collections.abc import Iterable

from people.models import User
from people.selectors import executives_active, memberships_of_active_people
from playbooks.models import RaciRole


class Directory:
    """Teams' members and the executives, each read once however many times they are asked for:
    a batch of timers firing asks for the same teams again and again."""

    def __init__(self):
        self._members: dict[int, set[User]] = {}
        self._executives: set[User] | None = None

    def members(self, team_ids: set[int]) -> set[User]:
        missing = team_ids - self._members.keys()
        if missing:
            for team_id in missing:
                self._members[team_id] = set()
            memberships = memberships_of_active_people(team_ids=missing)
            for membership in memberships.select_related("user"):
                self._members[membership.team_id].add(membership.user)
        return set().union(*(self._members[team_id] for team_id in team_ids))

    def people_behind(self, assignments: Iterable) -> set[User]:
        """Named people, plus the active members of named teams, for a set of RACI assignments."""
        assignments = list(assignments)
        users = {a.user for a in assignments if a.user_id and a.user.is_active}
        return users | self.members({a.team_id for a in assignments if a.team_id})

    def told_first(self, assignments: Iterable) -> set[User]:
        """As `people_behind`, but an on-call party is the person on call for its team (the whole
        team while nobody is, or while that person is inactive)."""
        first, behind = set(), []
        for a in assignments:
            if a.on_call and a.on_call_person_id and a.on_call_person.is_active:
                first.add(a.on_call_person)
            else:
                behind.append(a)
        return first | self.people_behind(behind)

    def executives(self) -> set[User]:
        if self._executives is None:
            self._executives = set(executives_active())
        return self._executives


def of_roles(assignments: Iterable, *roles: str) -> list:
    return [a for a in assignments if a.role in roles]


def on_call_parties(assignments: Iterable) -> list:
    return [a for a in assignments if a.on_call]


def escalation_contacts(assignments: Iterable) -> set[User]:
    """The escalation contacts of the teams that are Accountable."""
    return {
        a.team.escalation_contact
        for a in of_roles(assignments, RaciRole.ACCOUNTABLE)
        if a.team_id and a.team.escalation_contact_id and a.team.escalation_contact.is_active
    }
