"""The commander runs the incident from the war room, in English and Chinese, in headless Chromium:
changes the severity, adds a task, links a risk, posts a structured update that is pinned in the
header, and cannot resolve without saying how it was resolved."""

import re

import pytest
from playwright.sync_api import expect

from incidents.models import IncidentStatus, TimelineEntry
from tests.factories import supplier_risk
from tests.incidents.war_room_steps import add_task, change_severity, resolve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The elements that reach past the viewport's right edge, to name them when a page scrolls sideways.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const right = (element) => Math.round(element.getBoundingClientRect().right);
  return [...document.querySelectorAll('body *')]
    .filter((element) => !element.closest('.board') && right(element) > edge)
    .slice(0, 5)
    .map((element) => `${element.tagName}.${element.className} ${right(element)}`);
}"""
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}

WORDS = {
    "en": {"sev2": "SEV2", "critical": "High", "what": "What happened", "resolved": "Resolved"},
    "zh-hans": {"sev2": "SEV2", "critical": "高", "what": "发生了什么", "resolved": "已解决"},
}


def shoot(page, name: str, screenshot_dir) -> None:
    """The page at both sizes, without horizontal scrolling on the phone."""
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=screenshot_dir / f"{name}-{size}.png", full_page=True)
        if size == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            wide = page.evaluate(WIDEST)
            assert overflow <= 0, f"{name}: {overflow}px of horizontal scrolling at 390 px: {wide}"
    page.set_viewport_size({"width": 1440, "height": 900})


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_commander_runs_the_incident_from_the_war_room(
    signed_in_page, live_server, screenshot_dir, cast, incident, matrix, language
):
    words = WORDS[language]
    commander = cast["commander"]
    commander.language, commander.timezone = language, "Asia/Shanghai"
    commander.save()
    risk = supplier_risk(cast, likelihood=3, impact=4)
    page = signed_in_page(commander)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")

    # Severity, with a reason that the timeline shows.
    change_severity(page, 2, "One plant only · 仅一家工厂")
    expect(page.locator("#war-room-header .severity")).to_have_text(words["sev2"])
    expect(page.locator(".timeline")).to_contain_text("One plant only")

    # A task the playbook did not foresee.
    add_task(
        page,
        "Call the insurer · 联系保险公司",
        f"user:{cast['logistics'].pk}",
        f"team:{cast['supply'].pk}",
        45,
    )
    card = page.locator(".tier-column.current .task-card", has_text="Call the insurer")
    expect(card).to_have_count(1)
    expect(card.locator(".countdown").first).not_to_be_empty()

    # A linked risk, with its level and a link to its page.
    page.locator("#war-room-header summary[data-action=link-risk]").click()
    form = page.locator("#war-room-header form", has=page.locator("button[name=link-risk]"))
    form.locator("select[name=risk]").select_option(str(risk.pk))
    form.locator("button[name=link-risk]").click()
    page.wait_for_load_state()
    linked = page.locator(".linked-risks li")
    expect(linked).to_have_count(1)
    expect(linked.locator("a")).to_have_attribute("href", f"/risks/{risk.pk}/")
    expect(linked.locator(".badge")).to_have_text(words["critical"])

    # A structured update, pinned in the header.
    update = page.locator(".status-update form")
    update.locator("textarea[name=what_happened]").fill("Fire contained · 火势已控制")
    update.locator("textarea[name=impact]").fill("Line 2 stops in 3 days")
    update.locator("textarea[name=actions]").fill("Backup pool switched on")
    update.locator("textarea[name=needs]").fill("Air freight budget")
    update.locator("button[name=post-update]").click()
    page.wait_for_load_state()
    pinned = page.locator(".pinned-update")
    expect(pinned).to_contain_text("Fire contained")
    expect(pinned).to_contain_text("Air freight budget")
    expect(pinned.locator("dt").first).to_have_text(words["what"])
    expect(pinned.locator(".next-update .countdown")).not_to_be_empty()
    shoot(page, f"war-room-{language}", screenshot_dir)

    # Status updates only.
    page.locator(".timeline-filter a").click()
    page.wait_for_load_state()
    expect(page.locator(".timeline li.entry")).to_have_count(1)
    expect(page.locator(".timeline li.entry")).to_contain_text("Backup pool switched on")

    # Resolve asks for a summary: without one, nothing is sent.
    resolve(page, "Backup supplier delivering · 备用供应商已供货", "Covered by the review")
    expect(page.locator("#war-room-header .status")).to_have_text(words["resolved"])
    expect(page.locator(".resolution")).to_contain_text("Backup supplier delivering")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED
    assert set(TimelineEntry.objects.filter(incident=incident).values_list("type", flat=True)) >= {
        "incident.severity_changed",
        "task.added",
        "risk.linked",
        "status.update",
        "incident.resolved",
    }
    assert re.search("Backup supplier", incident.resolution_summary)
