"""A risk officer sets up "user-health index under 65 for 3 consecutive weeks" from its example,
in Chromium, in both languages; enters three weekly readings by hand in their time zone; and sees
the red point with its reason and the breach on the KRI's page. On a phone nothing scrolls sideways."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from indicators.models import KRI, Breach
from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCROLL_WIDTH = "document.documentElement.scrollWidth"
WORDS = {
    "en": {
        "rule": "Amber below 70, red below 65 · red after 3 consecutive readings",
        "rule_of_two": "red after 2 consecutive readings",
        "amber": "Amber: below 65 2 times in a row; red after 3 in a row",
        "red": "Red: 3 readings in a row below 65",
        "action": "Review the linked risks now",
    },
    "zh-hans": {
        "rule": "低于 70 为黄灯，低于 65 为红灯 · 连续 3 次读数越过红线才转红灯",
        "rule_of_two": "连续 2 次读数越过红线才转红灯",
        "amber": "黄灯：低于 65，已连续 2 次（满 3 次转红灯）",
        "red": "红灯：连续 3 次读数低于 65",
        "action": "立即复核关联风险",
    },
}


def fits_a_phone(page) -> bool:
    page.set_viewport_size({"width": 390, "height": 844})
    fits = page.evaluate(SCROLL_WIDTH) <= 390
    page.set_viewport_size({"width": 1440, "height": 900})
    return fits


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_kri_set_up_from_its_example_fed_by_hand_and_shown_red_with_its_reason(
    signed_in_page, live_server, officer, risk, screenshot_dir, language
):
    words = WORDS[language]
    officer.language, officer.timezone = language, "Asia/Shanghai"
    officer.save(update_fields=["language", "timezone"])
    page = signed_in_page(officer)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/kris/")
    page.click("a[href='/kris/new/']")
    page.click("a[href='?example=health']")
    assert (page.input_value("#id_name"), page.input_value("#id_name_zh")) == (
        "User-health index",
        "用户健康度",
    )
    rule_words = page.locator("[data-rule-words]")
    expect(rule_words).to_have_text(words["rule"])
    expect(page.locator("#id_baseline")).to_be_hidden()  # a setting of change rules only
    page.fill("#id_count", "2")
    expect(rule_words).to_contain_text(words["rule_of_two"])  # the words follow the fields
    page.fill("#id_count", "3")
    expect(rule_words).to_have_text(words["rule"])
    page.select_option("#id_risks", [str(risk.pk)])
    assert fits_a_phone(page)
    page.screenshot(path=screenshot_dir / f"kri-new-{language}.png", full_page=True)
    with page.expect_navigation():
        page.click("form.kri-form button[type=submit].primary")
    kri = KRI.objects.get()
    assert (kri.rule, list(kri.risks.all())) == ({"type": "consecutive", "count": 3}, [risk])

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    now = timezone.now().astimezone(shanghai).replace(second=0, microsecond=0)
    for weeks_ago, value in ((3, 64), (2, 63), (1, 62)):
        page.fill("#id_value", str(value))
        page.fill("#id_measured_at", (now - dt.timedelta(weeks=weeks_ago)).strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_note", "Weekly health survey")
        with page.expect_navigation():
            page.click(".kri-reading button[type=submit]")
        expect(page.locator(".messages")).to_contain_text(f"{value}")
    assert [reading.measured_at for reading in kri.readings.all()] == [
        now - dt.timedelta(weeks=weeks) for weeks in (3, 2, 1)
    ]

    red = page.locator("circle.point-red")
    expect(red).to_have_count(1)
    expect(page.locator("circle.point-amber")).to_have_count(2)
    red.hover()
    reason = page.locator("[data-point-reason]")
    expect(reason).to_contain_text(words["red"])
    page.locator("circle.point-amber").nth(1).focus()  # the keyboard says the same
    expect(reason).to_contain_text(words["amber"])
    expect(page.locator(".kri-readings tbody tr").first).to_contain_text(words["red"])  # the text form
    breach = page.locator(".kri-breaches tbody tr").first
    expect(breach.locator(".band-red")).to_be_visible()
    expect(breach).to_contain_text(words["action"])
    assert Breach.objects.get(kri=kri).action == "review"
    assert fits_a_phone(page)
    assert csp_violations(page) == []
    red.hover()
    page.screenshot(path=screenshot_dir / f"kri-red-{language}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / f"kri-red-{language}-phone.png", full_page=True)
