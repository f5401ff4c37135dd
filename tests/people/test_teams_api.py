import pytest

from people.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_everyone_signed_in_reads_teams_with_members_and_escalation_contact(api, responder, team):
    team.escalation_contact = responder
    team.save()
    response = api.as_user(responder).get("/api/v1/teams/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row == {
        "id": team.id,
        "slug": "supply-chain",
        "name": "Supply chain",
        "members": [responder.id],
        "escalation_contact": responder.id,
    }


def test_admin_adds_a_member(api, admin, team, make_user):
    person = make_user(Role.RESPONDER)
    response = api.as_user(admin).post(
        f"/api/v1/teams/{team.id}/members/", {"user": person.id}, format="json"
    )
    assert response.status_code == 201
    assert person.id in response.json()["members"]
    assert Membership.objects.filter(team=team, user=person).exists()


@pytest.mark.parametrize("role", [Role.RISK_OFFICER, Role.RESPONDER, Role.EXECUTIVE])
def test_only_admins_change_membership(api, make_user, team, role):
    person = make_user(Role.RESPONDER)
    response = api.as_user(make_user(role)).post(
        f"/api/v1/teams/{team.id}/members/", {"user": person.id}, format="json"
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=person).exists()


def test_unknown_member_is_a_field_error(api, admin, team):
    response = api.as_user(admin).post(f"/api/v1/teams/{team.id}/members/", {"user": 424242}, format="json")
    assert response.status_code == 400
    assert "user" in response.json()


def test_admin_creates_a_team_and_a_bad_slug_is_refused(api, admin):
    client = api.as_user(admin)
    assert client.post("/api/v1/teams/", {"slug": "pr", "name": "PR"}, format="json").status_code == 201
    bad = client.post("/api/v1/teams/", {"slug": "not a slug!", "name": "X"}, format="json")
    assert bad.status_code == 400 and "slug" in bad.json()
