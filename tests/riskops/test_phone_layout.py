"""Every page fits a phone (390 px) and the most used ones a desk (1440 px): no sideways scrolling,
in both languages, and not one violation of the content security policy. On a phone a data table's
rows become labelled cards."""

import pytest

from tests.factories import every_page
from tests.fixtures.browser import csp_violations

pytestmark = pytest.mark.browser

SCROLL_WIDTH = "document.documentElement.scrollWidth"
# The pages people use most, checked on a desk too and kept as screenshots to look at.
MOST_USED = ("/", "/dashboard/", "/incidents/{incident}/", "/incidents/mine/", "/risks/", "/risks/{risk}/")
MOST_USED += (
    "/kris/{kri}/",
    "/incidents/{resolved}/review/",
    "/notifications/",
    "/playbooks/{playbook}/preview/",
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_page_scrolls_sideways_or_violates_the_content_security_policy(
    world, signed_in_page, live_server, screenshot_dir, language
):
    admin = world["users"]["admin"]
    admin.language = language
    admin.save(update_fields=["language"])
    page = signed_in_page(admin)
    too_wide, violations = {}, {}
    most_used = [path.format(**world) for path in MOST_USED]
    for width, height, paths in ((390, 844, every_page(world)), (1440, 900, most_used)):
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status < 400, path
            if found := csp_violations(page):
                violations[f"{path} at {width}"] = found
            scrolled = page.evaluate(SCROLL_WIDTH)
            if scrolled > width:
                too_wide[f"{path} at {width}"] = scrolled
            if scrolled > width or path in most_used:
                name = path.strip("/").replace("/", "-") or "home"
                page.screenshot(path=screenshot_dir / f"page-{name}-{language}-{width}.png", full_page=True)
    assert too_wide == {}
    assert violations == {}


def test_on_a_phone_a_tables_rows_are_cards_labelled_by_column(world, signed_in_page, live_server):
    page = signed_in_page(world["users"]["admin"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/risks/")
    assert page.locator("table.data thead").bounding_box()["height"] <= 1  # read by screen readers only
    owner = page.locator("table.data tbody td[data-label='Owner']").first
    assert owner.is_visible()
    label = owner.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Owner"'
