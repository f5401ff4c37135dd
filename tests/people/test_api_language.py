"""The API speaks the signed-in person's language, with a token as with a session; the browser's
language (Accept-Language) for anyone not signed in."""

import pytest
from django.test import Client

from people.models import Role
from risks import services
from risks.models import Category

pytestmark = pytest.mark.django_db

TIME_ZONE_ERROR = {
    "en": "“Nowhere/Land” is not a known time zone.",
    "zh-hans": "“Nowhere/Land” 不是已知的时区。",
}
FORBIDDEN = {
    "en": "You do not have permission to perform this action.",
    "zh-hans": "您没有执行该操作的权限。",
}


def as_session(user):
    client = Client()
    client.force_login(user)
    return client


def as_token(api, user):
    return api.as_user(user)


@pytest.fixture(params=["token", "session"])
def signed_in(request, api):
    """A client signed in the way the test is parametrised with."""
    return (lambda user: as_token(api, user)) if request.param == "token" else as_session


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_validation_messages_and_error_details_speak_the_persons_language(signed_in, make_user, language):
    # The browser asks for the other language: the person's own setting wins.
    other = "en" if language == "zh-hans" else "zh-hans"
    client = signed_in(make_user(Role.RESPONDER, language=language))
    invalid = client.patch(
        "/api/v1/users/me/",
        {"timezone": "Nowhere/Land"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=other,
    )
    assert invalid.status_code == 400
    assert invalid.json()["timezone"] == [TIME_ZONE_ERROR[language]]
    assert invalid["Content-Language"] == language
    forbidden = client.post("/api/v1/users/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=other)
    assert forbidden.status_code == 403 and forbidden.json()["detail"] == FORBIDDEN[language]


def test_a_risk_officer_with_a_token_gets_the_registers_own_messages_in_chinese(api, make_user):
    officer = make_user(Role.RISK_OFFICER, language="zh-hans")
    response = as_token(api, officer).post(
        "/api/v1/risks/",
        {
            "title": "关键供应商停止供货",
            "category": "supply-chain",
            "owner": officer.id,
            "likelihood": 3,
            "impact": 4,
            "target_likelihood": 2,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"target_impact": ["可能性与影响须同时填写。"]}


def test_times_are_in_the_token_owners_time_zone(api, make_user):
    officer = make_user(Role.RISK_OFFICER, timezone="Asia/Shanghai")
    risk = services.risk_create(
        by=officer,
        title="Core system outage",
        category=Category.objects.get(key="technology"),
        owner=officer,
        likelihood=3,
        impact=4,
    )
    assert as_token(api, officer).get(f"/api/v1/risks/{risk.id}/").json()["created_at"].endswith("+08:00")


@pytest.mark.parametrize(("accept", "language"), [("zh-hans", "zh-hans"), ("en", "en"), ("", "en")])
def test_anyone_not_signed_in_gets_the_browsers_language(api, accept, language):
    response = api.get("/api/v1/risks/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 401
    assert (
        response.json()["detail"]
        == {
            "en": "Authentication credentials were not provided.",
            "zh-hans": "身份认证信息未提供。",
        }[language]
    )


def test_a_persons_language_does_not_outlive_their_request(api, make_user):
    as_token(api, make_user(Role.RESPONDER, language="zh-hans", timezone="Asia/Shanghai")).get(
        "/api/v1/users/me/"
    )
    api.credentials()
    response = api.get("/api/v1/risks/")
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert response["Content-Language"] == "en"
