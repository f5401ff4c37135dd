"""The shell in a real browser: sign in, switch language, Chinese rendered with real glyphs."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_to_chinese(signed_in_page, responder, live_server, screenshot_dir):
    page = signed_in_page(responder)
    assert page.locator("h1").inner_text().startswith("Welcome")
    page.screenshot(path=screenshot_dir / "home-en.png", full_page=True)

    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("欢迎")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.screenshot(path=screenshot_dir / "home-zh.png", full_page=True)
    responder.refresh_from_db()
    assert responder.language == "zh-hans"
