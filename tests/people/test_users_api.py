import pytest

from people.models import Membership, Role, User

pytestmark = pytest.mark.django_db


def new_user(team_ids=(), **overrides):
    return {
        "username": "fang.chen",
        "password": "Sturdy-Passphrase-9",
        "email": "fang@example.com",
        "role": "responder",
        "teams": list(team_ids),
        "timezone": "Asia/Shanghai",
        "language": "zh-hans",
        **overrides,
    }


def test_admin_creates_a_user_with_role_teams_timezone_and_language(api, admin, team):
    response = api.as_user(admin).post("/api/v1/users/", new_user([team.id]), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert "password" not in body
    assert body["role"] == "responder" and body["teams"] == [team.id]
    user = User.objects.get(username="fang.chen")
    assert user.check_password("Sturdy-Passphrase-9")
    assert (user.timezone, user.language, user.role) == ("Asia/Shanghai", "zh-hans", Role.RESPONDER)
    assert list(user.teams.all()) == [team]


@pytest.mark.parametrize("role", [Role.RISK_OFFICER, Role.RESPONDER, Role.EXECUTIVE])
def test_only_admins_create_users(api, make_user, role):
    response = api.as_user(make_user(role)).post("/api/v1/users/", new_user(), format="json")
    assert response.status_code == 403
    assert not User.objects.filter(username="fang.chen").exists()


def test_anonymous_cannot_create_users(api):
    assert api.post("/api/v1/users/", new_user(), format="json").status_code == 401


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("role", "overlord"),
        ("timezone", "Mars/Olympus"),
        ("language", "fr"),
        ("password", "123"),
        ("teams", [999_999]),
        ("username", ""),
        ("email", "not-an-address"),
    ],
)
def test_bad_input_gets_a_field_level_400_and_writes_nothing(api, admin, field, value):
    users_before = User.objects.count()
    response = api.as_user(admin).post("/api/v1/users/", new_user(**{field: value}), format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert all(isinstance(message, str) for message in response.json()[field])
    assert User.objects.count() == users_before
    assert not Membership.objects.exists()


def test_duplicate_username_is_a_field_error(api, admin, responder):
    response = api.as_user(admin).post("/api/v1/users/", new_user(username=responder.username), format="json")
    assert response.status_code == 400
    assert "username" in response.json()


def test_people_change_their_own_timezone_language_and_password(api, responder):
    client = api.as_user(responder)
    response = client.patch(
        "/api/v1/users/me/",
        {"timezone": "Europe/Berlin", "language": "zh-hans", "password": "Another-Good-One-7"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    responder.refresh_from_db()
    assert (responder.timezone, responder.language) == ("Europe/Berlin", "zh-hans")
    assert responder.check_password("Another-Good-One-7")


def test_people_cannot_change_their_own_role(api, responder):
    api.as_user(responder).patch("/api/v1/users/me/", {"role": "admin"}, format="json")
    responder.refresh_from_db()
    assert responder.role == Role.RESPONDER


def test_bad_preferences_are_refused_and_nothing_changes(api, responder):
    response = api.as_user(responder).patch(
        "/api/v1/users/me/", {"timezone": "Nowhere/Land", "language": "en"}, format="json"
    )
    assert response.status_code == 400
    assert "timezone" in response.json()
    responder.refresh_from_db()
    assert responder.timezone == "UTC"


def test_createsuperuser_makes_an_admin(db):
    user = User.objects.create_superuser("root", "root@example.com", "Whatever-Strong-1")
    assert user.role == Role.ADMIN and user.is_admin
