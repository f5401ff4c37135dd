"""The API's documentation page, in headless Chromium under the content security policy (every
other page is walked under it by tests/riskops/test_phone_layout.py)."""

import pytest

from tests.fixtures.browser import csp_violations

pytestmark = pytest.mark.browser


def test_the_api_docs_draw_without_violating_the_content_security_policy(
    world, signed_in_page, live_server, screenshot_dir
):
    page = signed_in_page(world["users"]["admin"])
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    page.screenshot(path=str(screenshot_dir / "api-docs-under-csp.png"))
    assert csp_violations(page) == []
