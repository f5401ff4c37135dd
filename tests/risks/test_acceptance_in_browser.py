"""A risk acceptance in Chromium, in English and Chinese: the risk officer asks on the risk's page, an
executive approves it, a red reading of the risk's KRI makes it lapse, and the page says so in the
acceptance and its history; and, with the clock controlled, an acceptance lapsing when it expires.
At a desk and on a phone, with no sideways scrolling and no violation of the content security policy."""

import datetime as dt

import pytest
from django.utils import timezone

from indicators.services import ReadingInput, kri_create, readings_record
from people.models import Role
from risks.acceptances import acceptances_lapse_expired
from risks.models import Acceptance
from tests.factories import NOW, elsewhere
from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = dt.timedelta(days=1)

WORDS = {
    "en": {
        "awaiting": "Awaiting approval",
        "accepted": "Accepted",
        "lapsed": "Acceptance lapsed",
        "red": "On-time delivery rate went red: 70 %.",
        "again": "To be decided again",
        "expired": "It expired on",
    },
    "zh-hans": {
        "awaiting": "待审批",
        "accepted": "已接受",
        "lapsed": "风险接受已失效",
        "red": "准时交付率 变红：70 %。",
        "again": "待重新决定",
        "expired": "到期",
    },
}


def no_sideways_scroll(page) -> None:
    for width, height in ((390, 844), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_asked_approved_by_another_then_lapsed_by_a_red_kri(
    signed_in_page, make_user, make_risk, live_server, screenshot_dir, language
):
    words = WORDS[language]
    officer = make_user(Role.RISK_OFFICER, username="risk.officer", language=language)
    ceo = make_user(Role.EXECUTIVE, username="ceo", language=language)
    risk = make_risk(title="关键供应商停止供货 · Key supplier stops deliveries", owner=officer)
    kri = kri_create(
        by=None,
        name="On-time delivery rate",
        name_zh="准时交付率",
        unit="%",
        owner=officer,
        direction="lower_is_worse",
        amber=90,
        red=80,
        on_red="notify",
        risks=[risk],
    )
    url = f"{live_server.url}/risks/{risk.pk}/"
    shot = language.split("-")[0]

    # The risk officer asks, with a justification, conditions and the last day.
    asking = signed_in_page(officer)
    asking.set_viewport_size({"width": 1440, "height": 900})
    asking.goto(url)
    asking.click("details.acceptance-request > summary")
    asking.fill(
        "#id_justification", "备用供应商可覆盖大部分损失 · The backup supplier covers most of the loss"
    )
    asking.fill("#id_conditions", "备用合同有效 · The backup contract stays signed")
    last_day = (timezone.localdate() + 60 * DAY).isoformat()
    asking.fill("#id_expires_at", last_day)
    asking.click("#acceptance-form button[type=submit]")
    asking.wait_for_url(url)
    state = asking.locator("#acceptance .acceptance-state")
    assert words["awaiting"] in state.inner_text()
    assert asking.locator("#acceptance [data-action=approve]").count() == 0  # never their own
    asking.screenshot(path=screenshot_dir / f"acceptance-asked-{shot}.png", full_page=True)

    # An executive approves it, after confirming.
    approving = signed_in_page(ceo)
    approving.set_viewport_size({"width": 390, "height": 844})
    approving.goto(url)
    approving.click("#acceptance [data-action=approve]")
    approving.click("#acceptance button[name=approve]")
    approving.wait_for_url(url)
    assert words["accepted"] in approving.locator("#acceptance .acceptance-state").inner_text()
    approving.screenshot(path=screenshot_dir / f"acceptance-approved-phone-{shot}.png", full_page=True)
    acceptance = Acceptance.objects.get()
    assert (acceptance.state, acceptance.decided_by, acceptance.requested_by) == ("approved", ceo, officer)

    # The KRI goes red: the acceptance lapses, the treatment is to be decided again.
    reading = ReadingInput(kri=kri, value=70, measured_at=timezone.now())
    elsewhere(readings_record, entries=[reading], by=officer, now=timezone.now())
    approving.goto(url)
    section = approving.locator("#acceptance")
    assert words["lapsed"] in section.locator(".acceptance-state").inner_text()
    assert words["red"] in section.locator(".lapse-reason").first.inner_text()
    assert words["red"] in section.locator("table.acceptance-history").inner_text()
    assert words["again"] in approving.locator("dl.facts").first.inner_text()
    no_sideways_scroll(approving)
    approving.screenshot(path=screenshot_dir / f"acceptance-lapsed-{shot}.png", full_page=True)
    approving.set_viewport_size({"width": 390, "height": 844})
    approving.screenshot(path=screenshot_dir / f"acceptance-lapsed-phone-{shot}.png", full_page=True)

    # The register finds it among the lapsed.
    approving.goto(f"{live_server.url}/risks/?acceptance=lapsed")
    assert words["again"] in approving.locator("table.risk-table tbody").inner_text()
    no_sideways_scroll(approving)
    assert csp_violations(asking) == [] and csp_violations(approving) == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_acceptance_lapses_when_it_expires(
    signed_in_page, make_user, make_risk, live_server, screenshot_dir, accept, language
):
    words = WORDS[language]
    officer = make_user(Role.RISK_OFFICER, username="risk.officer", language=language)
    ceo = make_user(Role.EXECUTIVE, username="ceo", language=language)
    risk = make_risk(title="汇率波动 · Exchange rate swings", owner=officer, category_key="financial")
    accepted = accept(risk, asker=officer, approver=ceo, until=NOW + 10 * DAY)
    page = signed_in_page(officer)
    page.goto(f"{live_server.url}/risks/{risk.pk}/")
    assert words["accepted"] in page.locator("#acceptance .acceptance-state").inner_text()

    # The sweep a minute before the expiry leaves it; at the expiry it lapses, once.
    assert elsewhere(acceptances_lapse_expired, now=accepted.expires_at - dt.timedelta(minutes=1)) == 0
    assert elsewhere(acceptances_lapse_expired, now=accepted.expires_at) == 1
    assert elsewhere(acceptances_lapse_expired, now=accepted.expires_at + DAY) == 0
    page.reload()
    section = page.locator("#acceptance")
    assert words["lapsed"] in section.locator(".acceptance-state").inner_text()
    assert words["expired"] in section.locator(".lapse-reason").first.inner_text()
    no_sideways_scroll(page)
    page.screenshot(
        path=screenshot_dir / f"acceptance-expired-phone-{language.split('-')[0]}.png", full_page=True
    )
    assert csp_violations(page) == []
