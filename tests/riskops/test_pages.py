"""The web UI shell: sign-in, navigation per role, language and time zone per person."""

import zoneinfo

import pytest
from django.utils import timezone

from people.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_need_a_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_sign_in_and_out(client, responder):
    response = client.post("/login/", {"username": responder.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_the_login_page_speaks_chinese_when_asked(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "登录 RiskOps" in response.content.decode()


def test_language_switch_is_remembered_on_the_profile(client, responder):
    client.force_login(responder)
    response = client.post("/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    responder.refresh_from_db()
    assert responder.language == "zh-hans"
    page = client.get("/").content.decode()
    assert "需要您处理的事项" in page and "您以响应人员身份登录" in page


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(client, responder):
    client.force_login(responder)
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.url == "/"
    responder.refresh_from_db()
    assert responder.language == "en"


def test_times_are_shown_in_the_persons_time_zone(client, make_user):
    person = make_user(Role.RESPONDER, timezone="Asia/Shanghai")
    client.force_login(person)
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    before = timezone.now().astimezone(shanghai).strftime("%Y-%m-%d %H:%M CST")
    page = client.get("/").content.decode()
    after = timezone.now().astimezone(shanghai).strftime("%Y-%m-%d %H:%M CST")
    assert before in page or after in page


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.ADMIN, ["Administration", "API"], []),
        (Role.RESPONDER, ["Home", "API"], ["Administration"]),
        (Role.EXECUTIVE, ["Home"], ["Administration"]),
    ],
)
def test_navigation_depends_on_the_role(client, make_user, role, shown, hidden):
    client.force_login(make_user(role))
    nav = client.get("/incidents/").context["nav_items"]
    labels = [str(item["label"]) for item in nav]
    for label in shown:
        assert label in labels
    for label in hidden:
        assert label not in labels
