"""The heat maps' likelihood axis reads upright in both languages: Latin letters turned to read
bottom to top, Chinese characters standing (never upside down)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXIS_STYLE = "axis => [getComputedStyle(axis).transform, getComputedStyle(axis).textOrientation]"


@pytest.mark.parametrize(
    ("language", "transform", "orientation"),
    [("en", "matrix(-1, 0, 0, -1, 0, 0)", "mixed"), ("zh-hans", "none", "upright")],
)
def test_the_likelihood_axis_reads_upright(
    signed_in_page, make_user, matrix, live_server, screenshot_dir, language, transform, orientation
):
    page = signed_in_page(make_user("executive", language=language))
    for path, axis in (("/risks/heatmap/", ".heatmap .axis"), ("/dashboard/", "table.live-heatmap th.axis")):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(axis)
        assert page.locator(axis).first.evaluate(AXIS_STYLE) == [transform, orientation], path
    page.locator(".heatmap-card").screenshot(path=screenshot_dir / f"heatmap-axis-{language}.png")
