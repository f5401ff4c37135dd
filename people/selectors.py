"""Who counts: the active people, the way every app asks for them.

A person who was deactivated keeps their rows (owner, actor, member) but is offered nowhere,
told nothing and cannot sign in.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from people.models import Membership, Role, User


def people_active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def executives_active() -> QuerySet[User]:
    return people_active().filter(role=Role.EXECUTIVE)


def memberships_of_active_people(*, team_ids: Iterable[int]) -> QuerySet[Membership]:
    """The memberships of these teams whose person is active."""
    return Membership.objects.filter(team_id__in=team_ids, user__is_active=True)
