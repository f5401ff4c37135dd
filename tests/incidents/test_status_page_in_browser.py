"""The status page and subscriptions in Chromium, in both languages: an executive named nowhere in
an incident reads its published updates there, not its task board, and follows it; the update the
commander then posts appears on the open page at once (the incident's live stream), reaches the
executive and a follower of every SEV1 in-app and by e-mail, and a drill's update reaches neither,
for neither asked for drills."""

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from incidents import services
from notifications.models import Channel, Subscription
from notifications.services import subscription_follow
from people.models import User
from tests.factories import H, elsewhere, plant_fire, send_deliveries
from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "updates": "Status updates",
        "follow": "Follow",
        "following": "You follow this incident",
        "title": "Status update: Main supplier plant fire",
    },
    "zh-hans": {
        "updates": "状态通报",
        "follow": "关注",
        "following": "您已关注此事件",
        "title": "状态通报：Main supplier plant fire",
    },
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_follower_reads_the_status_page_live_and_hears_each_update_but_not_a_drills(
    asgi_servers, page_on, cast, playbook, language, screenshot_dir
):
    words = WORDS[language]
    User.objects.filter(username__in=["ceo", "officer"]).update(language=language, timezone="Asia/Shanghai")
    User.objects.filter(username="ceo").update(email="ceo@example.com")
    User.objects.filter(username="officer").update(email="officer@example.com")
    declared_at = timezone.now() - 3 * H
    real = plant_fire(cast, playbook, declared_at)
    services.incident_post_update(
        incident_id=real.pk,
        by=cast["commander"],
        what_happened="Plant B is on fire.",
        impact="Line 3 stopped",
        now=declared_at + H,
    )
    drill = plant_fire(cast, playbook, declared_at + 2 * H, drill=True, clock_rate=60)
    subscription_follow(user=cast["officer"], by=cast["officer"], severity=1)  # every SEV1, no drills
    server = asgi_servers.start()
    ceo = User.objects.get(username="ceo")
    page = page_on(server, ceo)
    page.set_viewport_size({"width": 1440, "height": 900})

    # Named nowhere in the incident: its published updates, its impact, no task board.
    page.goto(f"{server.url}/status/{real.pk}/")
    expect(page.locator("#status-updates-title")).to_have_text(words["updates"])
    expect(page.locator(".status-update-entry")).to_have_count(1)
    expect(page.locator(".status-update-entry")).to_contain_text("Plant B is on fire.")
    expect(page.locator(".status-facts")).to_contain_text("Line 3 stopped")
    expect(page.locator("#war-room-board")).to_have_count(0)
    assert "Switch to the backup-supplier pool" not in page.content()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(page.locator(".status-facts .elapsed")).to_contain_text("3")  # 3 h, ticking

    page.get_by_role("button", name=words["follow"], exact=True).click()
    expect(page.locator(".following")).to_have_text(words["following"])
    assert Subscription.objects.get(user=ceo).incident_id == real.pk

    # The commander posts; the open page shows it at once, newest first.
    elsewhere(
        services.incident_post_update,
        incident_id=real.pk,
        by=cast["commander"],
        what_happened="Backup pool carries 60 % of volume.",
    )
    expect(page.locator(".status-update-entry")).to_have_count(2)
    expect(page.locator(".status-update-entry").first).to_contain_text("Backup pool carries 60 % of volume.")
    page.screenshot(path=screenshot_dir / f"status-{language}-1440.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / f"status-{language}-390.png", full_page=True)

    elsewhere(
        services.incident_post_update, incident_id=drill.pk, by=cast["commander"], what_happened="Drill note"
    )

    # In-app: the bell counts it, the inbox names it; the drill's is nowhere.
    for person in (ceo, User.objects.get(username="officer")):
        reader = page if person == ceo else page_on(server, person)
        reader.set_viewport_size({"width": 390, "height": 844})
        reader.goto(f"{server.url}/notifications/")
        expect(reader.locator(".notification-bell .notification-count")).to_have_text("1")
        expect(reader.locator("li.notification h3")).to_have_text([words["title"]])
        assert reader.evaluate("document.documentElement.scrollWidth") <= 390
        assert csp_violations(reader) == []
    page.screenshot(path=screenshot_dir / f"status-inbox-{language}-390.png", full_page=True)

    # By e-mail, once each, marked with the severity; no drill.
    send_deliveries(channel=Channel.EMAIL)
    assert sorted(message.to[0] for message in mail.outbox) == ["ceo@example.com", "officer@example.com"]
    for message in mail.outbox:
        assert message.subject.startswith("[SEV1]") and words["title"] in message.subject
        assert "Backup pool carries 60 % of volume." in message.body and "Drill note" not in message.body

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server.url}/status/")
    expect(page.locator(".status-row").first).to_contain_text("Main supplier plant fire")
    expect(page.locator(".status-row.is-drill")).to_have_count(1)
    page.screenshot(path=screenshot_dir / f"status-list-{language}-1440.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / f"status-list-{language}-390.png", full_page=True)
    assert csp_violations(page) == []
