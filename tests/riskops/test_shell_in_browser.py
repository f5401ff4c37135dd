"""The shell in a real browser: sign in, switch language, Chinese rendered with real glyphs."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_to_chinese(signed_in_page, responder, live_server, screenshot_dir):
    page = signed_in_page(responder)
    assert page.locator("h1").inner_text() == "What needs you"

    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "需要您处理的事项"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    responder.refresh_from_db()
    assert responder.language == "zh-hans"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_missing_and_a_refused_page_keep_the_site_around_them(
    signed_in_page, make_user, team, live_server, screenshot_dir, language
):
    reader = make_user(teams=[team], language=language)
    page = signed_in_page(reader)
    for path, status in (("/incidents/999999/", 404), ("/analytics/", 403)):
        for width, height in ((1440, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{live_server.url}/")
            response = page.goto(f"{live_server.url}{path}", referer=f"{live_server.url}/")
            assert response.status == status
            assert page.locator(".topbar .mainnav a").count() > 0
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=screenshot_dir / f"problem-{status}-{language}-{width}.png", full_page=True)
        page.click("text=" + ("返回首页" if language == "zh-hans" else "Go to your home page"))
        page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize(("language", "menu"), [("en", "Menu"), ("zh-hans", "菜单")])
def test_on_a_phone_the_navigation_folds_into_a_menu(
    signed_in_page, make_user, team, live_server, screenshot_dir, language, menu
):
    page = signed_in_page(make_user(teams=[team], language=language))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    assert not page.locator(".mainnav").is_visible()
    assert page.locator(".notification-bell").is_visible()
    assert not page.locator(".language-switch").is_visible()
    assert page.locator(".topbar").bounding_box()["height"] < 70
    page.screenshot(path=screenshot_dir / f"menu-closed-{language}-390.png")

    page.get_by_role("button", name=menu).click()
    assert page.locator(".mainnav").is_visible()
    assert page.get_by_role("button", name=menu).get_attribute("aria-expanded") == "true"
    assert page.locator(".language-switch button:visible").count() == 1  # the other language only
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / f"menu-open-{language}-390.png")
    page.locator(".mainnav a", has_text="Risk register" if language == "en" else "风险登记册").click()
    page.wait_for_url(f"{live_server.url}/risks/")

    page.set_viewport_size({"width": 1440, "height": 900})
    assert page.locator(".mainnav").is_visible() and not page.locator(".menu-toggle").is_visible()
