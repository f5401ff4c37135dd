"""A page that cannot be shown still has the site around it, in the reader's language, with a way back."""

import pytest
from django.test import Client
from django.utils import translation

from riskops.problem_pages import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese_responder(make_user, team):
    return make_user(teams=[team], language="zh-hans")


def test_a_missing_page_has_the_navigation_a_home_link_and_a_way_back(client, responder):
    client.force_login(responder)
    response = client.get("/incidents/999999/", HTTP_REFERER="http://testserver/incidents/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="topbar"' in page and 'class="mainnav"' in page
    assert "This page does not exist" in page
    assert 'href="http://testserver/incidents/"' in page and "Back to the previous page" in page
    assert "Go to your home page" in page


def test_the_way_back_never_leads_off_the_site(client, responder):
    client.force_login(responder)
    page = client.get("/incidents/999999/", HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "evil.example" not in page
    assert "Back to the previous page" not in page


def test_a_refused_page_speaks_the_readers_language(client, chinese_responder):
    client.force_login(chinese_responder)
    response = client.get("/analytics/")
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "您无权打开此页面" in page and "返回首页" in page
    assert 'class="mainnav"' in page


def test_a_signed_out_reader_gets_the_page_without_personal_parts(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_api_paths_keep_the_api_error_shape(client, responder):
    client.force_login(responder)
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_expired_form_is_explained_not_a_bare_csrf_error(responder):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(responder)
    response = browser.post("/language/", {"language": "zh-hans"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page and "CSRF" not in page
    assert 'class="topbar"' in page


def test_a_server_error_page_has_the_chrome_in_chinese(rf, chinese_responder):
    request = rf.get("/risks/")
    request.user = chinese_responder
    with translation.override("zh-hans"):
        try:
            raise KeyError("a bug")
        except KeyError:
            response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "我们这边出了问题" in page and 'class="topbar"' in page
