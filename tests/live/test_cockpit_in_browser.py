"""The executive cockpit in Chromium, on a real ASGI server, as an executive reads it at a desk and
then on a phone: the real incident first, naming the late task, whose it is, how late and how far
escalated, the latest status update and the linked risk; a drill kept apart behind its toggle; and
both changing live while the drill runs in another context."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents import services
from incidents.models import Task
from tests.factories import elsewhere, fire_due, plant_fire, supplier_risk
from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"late": "Who is late", "not_late": "Nobody is late.", "level": "escalated to level 2 of 3"},
    "zh-hans": {"late": "谁已逾期", "not_late": "没有人逾期。", "level": "已升级到第 2 级（共 3 级）"},
}


@pytest.fixture
def real_and_drill(matrix, playbook, cast):
    """A real SEV1 declared 3½ hours ago (its tier-1 task 1½ h late, escalated twice), with a status
    update and a linked risk; and a drill declared 2½ hours ago (its task late too)."""
    now = timezone.now()
    risk = supplier_risk(cast, likelihood=4, impact=5)
    real = plant_fire(cast, playbook, now - dt.timedelta(hours=3, minutes=30), risks=[risk])
    services.incident_post_update(
        incident_id=real.pk, by=cast["commander"], what_happened="Plant B is on fire; line 3 stopped."
    )
    drill = plant_fire(cast, playbook, now - dt.timedelta(hours=2, minutes=30), drill=True)
    fire_due(now)
    return real, drill, risk


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_cockpit_names_who_is_late_and_the_latest_update_live_with_drills_apart(
    asgi_servers, page_on, real_and_drill, cast, language, screenshot_dir
):
    real, drill, risk = real_and_drill
    words = WORDS[language]
    cast["ceo"].language = language
    cast["ceo"].save(update_fields=["language"])
    server = asgi_servers.start()
    page = page_on(server, cast["ceo"])
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server.url}/dashboard/")
    expect(page.locator("[data-live-indicator]")).to_have_attribute("data-state", "live")

    # Real first; the drill is apart, behind its toggle, and not in the headline figures.
    card = page.locator(".cockpit-incidents").first.locator("article").first
    expect(card).to_have_attribute("data-incident", str(real.pk))
    expect(page.locator("[data-figure='incidents']")).to_have_text("1")
    expect(page.locator("[data-figure='drills']")).to_have_text("1")
    drill_card = page.locator(f"article[data-incident='{drill.pk}']")
    expect(drill_card).to_be_hidden()

    late = card.locator(".cockpit-late")
    expect(late.locator("h4")).to_contain_text(words["late"])
    expect(late.locator("[data-overdue]")).to_have_text("1")
    expect(late.locator("li")).to_contain_text("Switch to the backup-supplier pool")
    expect(late.locator(".late-whose")).to_have_text("Supply chain")
    expect(late.locator(".late-by .clock")).to_contain_text("1")  # 1 h 30 m, ticking
    expect(late.locator(".late-level")).to_have_text(words["level"])
    expect(card.locator(".update-text")).to_have_text("Plant B is on fire; line 3 stopped.")
    expect(card.locator(".risk-refs a")).to_have_text(risk.ref)
    expect(card.locator(".tier-bar li")).to_have_count(3)
    three_and_a_half_hours_of_six = re.compile(r"^0\.58")
    expect(card.locator(".tier-current progress")).to_have_attribute("value", three_and_a_half_hours_of_six)
    page.screenshot(path=screenshot_dir / f"cockpit-{language}-1440.png", full_page=True)

    # Live, without reload: a new update on the real incident; the drill opened, then its task done.
    elsewhere(
        services.incident_post_update,
        incident_id=real.pk,
        by=cast["commander"],
        what_happened="Backup pool carries 60 % of volume.",
    )
    expect(card.locator(".update-text")).to_have_text("Backup pool carries 60 % of volume.")
    page.locator(".cockpit-drills summary").click()
    expect(drill_card.locator(".cockpit-late [data-overdue]")).to_have_text("1")
    drill_task = Task.objects.get(incident=drill, title="Switch to the backup-supplier pool")
    elsewhere(services.task_complete, task_id=drill_task.pk, by=cast["buyer"])
    expect(drill_card.locator(".cockpit-late .calm")).to_have_text(words["not_late"])
    expect(drill_card).to_be_visible()  # the toggle stayed open through the refresh
    expect(page.locator("[data-figure='overdue']")).to_have_text("1")  # the real one is still late

    # On a phone: the same names, nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(late.locator(".late-whose")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / f"cockpit-{language}-390.png", full_page=True)
    assert csp_violations(page) == []
