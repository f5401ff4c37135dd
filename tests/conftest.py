import pytest
from rest_framework.test import APIClient

from people.models import Role, Team
from people.services import user_create

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(role=Role.RESPONDER, teams=(), **extra):
        username = extra.pop("username", f"{role}-{next(counter)}")
        return user_create(username=username, password=PASSWORD, role=role, teams=list(teams), **extra)

    return make


@pytest.fixture
def team(db):
    return Team.objects.create(slug="supply-chain", name="Supply chain")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def risk_officer(make_user):
    return make_user(Role.RISK_OFFICER)


@pytest.fixture
def executive(make_user):
    return make_user(Role.EXECUTIVE)


@pytest.fixture
def responder(make_user, team):
    return make_user(Role.RESPONDER, teams=[team])


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` signs it in with a token, as a script would."""

    class Client(APIClient):
        def as_user(self, user):
            from rest_framework.authtoken.models import Token

            token, _ = Token.objects.get_or_create(user=user)
            self.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            return self

    return Client()
