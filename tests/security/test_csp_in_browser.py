"""Every page, in headless Chromium under the content security policy: not one violation."""

import pytest

from tests.factories import every_page

pytestmark = pytest.mark.browser

# Records violations from the page's own document, before any of its scripts run.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const { violatedDirective, blockedURI, sourceFile, lineNumber } = event;
  window.__violations.push(`${violatedDirective} ${blockedURI} ${sourceFile}:${lineNumber}`);
});
"""


def test_no_page_violates_the_content_security_policy(world, browser, live_server, screenshot_dir):
    from tests.factories import PASSWORD

    context = browser.new_context(locale="en-US")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world["users"]["admin"].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")
    violations = {}
    for path in every_page(world):
        console.clear()
        response = page.goto(live_server.url + path, wait_until="networkidle")
        assert response.status < 400, path
        found = page.evaluate("window.__violations") + [
            text for text in console if "Content Security Policy" in text
        ]
        if found:
            violations[path] = found
    page.goto(f"{live_server.url}/api/docs/", wait_until="networkidle")
    page.wait_for_selector(".swagger-ui .info")
    page.screenshot(path=str(screenshot_dir / "api-docs-under-csp.png"))
    context.close()
    assert violations == {}
