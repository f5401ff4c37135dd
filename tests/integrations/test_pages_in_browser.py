"""The integration pages in Chromium, in both languages, at a desk and on a phone: no sideways
scrolling, no violation of the content security policy; the reset asks before it acts."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import csp_violations
from tests.fixtures.integrations import example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "en": ("Integrations", "New integration", "Reset the token"),
    "zh-hans": ("集成", "新建集成", "重置令牌"),
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_integration_pages_fit_and_speak_the_readers_language(
    signed_in_page, live_server, officer, alerts_in, screenshot_dir, language
):
    sender = alerts_in()
    sender.send(example("alertmanager"))
    sender.send(b"{")
    officer.language = language
    officer.save(update_fields=["language"])
    listing, new, reset = HEADINGS[language]
    page = signed_in_page(officer)
    pages = {
        "list": "/integrations/",
        "new": "/integrations/new/",
        "detail": f"/integrations/{sender.integration.pk}/",
    }
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
            page.screenshot(
                path=screenshot_dir / f"integrations-{name}-{language}-{width}.png", full_page=True
            )
        assert csp_violations(page) == []
    page.goto(live_server.url + "/integrations/")
    expect(page.locator("h1")).to_have_text(listing)
    page.click(f"text={new}")
    expect(page.locator("h1")).to_have_text(new)

    page.goto(live_server.url + pages["detail"])
    confirm = page.locator("details.confirm")
    expect(confirm.locator("button[type=submit]")).to_be_hidden()  # asks before it acts
    confirm.locator("summary").click()
    confirm.locator("button[type=submit]").click()
    expect(page.locator(".new-token code")).to_contain_text("?token=")
    assert reset in page.content()
