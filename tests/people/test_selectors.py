"""Active people: deactivated people keep their rows but are offered and told nothing."""

import pytest

from people.models import Membership, Role, User
from people.selectors import executives_active, memberships_of_active_people, people_active

pytestmark = pytest.mark.django_db


def deactivated(person):
    User.objects.filter(pk=person.pk).update(is_active=False)
    return person


def test_people_active_leaves_out_the_deactivated(make_user):
    active, gone = make_user(), deactivated(make_user())
    assert active in people_active()
    assert gone not in people_active()


def test_executives_active_are_the_active_executives(make_user):
    chief, former, responder = (
        make_user(Role.EXECUTIVE),
        deactivated(make_user(Role.EXECUTIVE)),
        make_user(),
    )
    assert chief in executives_active()
    assert former not in executives_active() and responder not in executives_active()


def test_memberships_of_active_people_in_the_teams_asked_for(make_user, team):
    member, gone = make_user(teams=[team]), deactivated(make_user(teams=[team]))
    make_user(teams=[])
    found = memberships_of_active_people(team_ids={team.pk})
    assert [membership.user for membership in found] == [member]
    assert Membership.objects.filter(team=team, user=gone).exists()
