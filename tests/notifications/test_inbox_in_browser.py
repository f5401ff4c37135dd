"""The inbox in headless Chromium, in English and in Chinese."""

import pytest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notifications.kinds import KINDS
from notifications.services import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "language, heading, mark_all",
    [("en", "Notifications", "Mark all as read"), ("zh-hans", "通知", "全部标为已读")],
)
def test_the_inbox_in_both_languages(
    signed_in_page, make_user, live_server, screenshot_dir, language, heading, mark_all
):
    person = make_user(language=language, email="p@example.com")
    notify(recipients=[person], kind="tier.started", title=KINDS["tier.started"], body="T2 · 6–48 h")
    notify(
        recipients=[person],
        kind="task.overdue",
        title=format_lazy("{}: {}", KINDS["task.overdue"], "Switch to the backup-supplier pool"),
        body=_("A task is overdue"),
        url="/",
        incident_id=1,
    )
    notify(recipients=[person], kind="escalation", title=KINDS["escalation"], body="Level 2 · Supply chain")

    page = signed_in_page(person)
    page.goto(f"{live_server.url}/notifications/")
    assert page.locator("h1").inner_text() == heading
    assert page.locator("li.notification.unread").count() == 3
    assert page.locator(".notification-bell .notification-count").inner_text() == "3"
    page.screenshot(path=screenshot_dir / f"notifications-inbox-{language}.png", full_page=True)

    page.locator("li.notification").nth(1).locator("button.secondary").click()
    page.wait_for_load_state()
    assert page.locator("li.notification.unread").count() == 2
    page.get_by_role("button", name=mark_all).click()
    page.wait_for_load_state()
    assert page.locator("li.notification.unread").count() == 0
    assert page.locator(".notification-bell .notification-count").is_hidden()
    page.screenshot(path=screenshot_dir / f"notifications-inbox-read-{language}.png", full_page=True)
