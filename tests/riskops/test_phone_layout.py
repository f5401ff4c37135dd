"""Every page fits the screen: no sideways scrolling on a phone (390 px) or a desk (1440 px), in
both languages. On a phone a data table's rows become labelled cards."""

import pytest

from tests.factories import every_page

pytestmark = pytest.mark.browser

SCROLL_WIDTH = "document.documentElement.scrollWidth"
# The pages people use most on a phone, kept as screenshots to look at.
LOOKED_AT = ("/dashboard/", "/incidents/mine/", "/risks/", "/notifications/", "/incidents/{incident}/")
LOOKED_AT += ("/playbooks/{playbook}/preview/",)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_page_scrolls_sideways(world, signed_in_page, live_server, screenshot_dir, language):
    admin = world["users"]["admin"]
    admin.language = language
    admin.save(update_fields=["language"])
    page = signed_in_page(admin)
    too_wide = {}
    looked_at = {path.format(**world) for path in LOOKED_AT}
    for width, height in ((390, 844), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        for path in every_page(world):
            page.goto(live_server.url + path, wait_until="networkidle")
            scrolled = page.evaluate(SCROLL_WIDTH)
            if scrolled > width:
                too_wide[f"{path} at {width}"] = scrolled
            if scrolled > width or path in looked_at:
                name = path.strip("/").replace("/", "-") or "home"
                page.screenshot(path=screenshot_dir / f"page-{name}-{language}-{width}.png", full_page=True)
    assert too_wide == {}


def test_on_a_phone_a_tables_rows_are_cards_labelled_by_column(world, signed_in_page, live_server):
    page = signed_in_page(world["users"]["admin"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/risks/")
    assert page.locator("table.data thead").bounding_box()["height"] <= 1  # read by screen readers only
    owner = page.locator("table.data tbody td[data-label='Owner']").first
    assert owner.is_visible()
    label = owner.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Owner"'
