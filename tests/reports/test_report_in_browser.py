"""The reports in the browser: on a desk and a phone without sideways scrolling, and in print media
on A4 with no navigation, in both languages; screenshots are left for people to look at."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import csp_violations
from tests.reports.conftest import TITLE_ZH, speaking

# A4 at 96 px per inch, as the browser lays out a printed page.
A4 = {"width": 794, "height": 1123}
TITLE = {"en": "Main supplier plant fire", "zh-hans": TITLE_ZH}
REGISTER = {"en": "Risk register report", "zh-hans": "风险登记册报告"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_reports_print_on_a4_and_fit_a_phone(
    signed_in_page, live_server, screenshot_dir, cast, reported, language
):
    page = signed_in_page(speaking(cast["ceo"], language))
    for path, heading, name in (
        (f"/incidents/{reported.pk}/report/", TITLE[language], "incident"),
        ("/risks/report/", REGISTER[language], "register"),
    ):
        page.emulate_media(media="screen")
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_contain_text(heading)
        for width, height in ((1440, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.screenshot(path=screenshot_dir / f"report-{name}-{language}-{width}.png", full_page=True)
        page.set_viewport_size(A4)
        page.emulate_media(media="print")
        expect(page.locator(".topbar")).to_be_hidden()
        expect(page.locator(".report-actions")).to_be_hidden()
        expect(page.locator("h1")).to_contain_text(heading)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=screenshot_dir / f"report-{name}-{language}-print.png", full_page=True)
        assert page.pdf(format="A4", print_background=True).startswith(b"%PDF-")
        assert csp_violations(page) == []
