import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.embedded_smoke]


def test_token_is_issued_for_good_credentials_and_opens_the_api(api, responder):
    response = api.post("/api/v1/auth/token/", {"username": responder.username, "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/users/me/")
    assert me.status_code == 200
    assert me.json()["username"] == responder.username


def test_wrong_password_gets_a_400_and_no_token(api, responder):
    response = api.post("/api/v1/auth/token/", {"username": responder.username, "password": "nope"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_anonymous_requests_are_refused_with_401(api):
    response = api.get("/api/v1/users/me/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/teams/{id}/members/" in schema.content
    assert api.get("/api/docs/").status_code == 200
