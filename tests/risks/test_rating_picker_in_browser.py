"""A risk officer rates a new risk by clicking the matrix, in Chromium, in both languages, at a desk
and on a phone: each click sets its rating's likelihood and impact and says the score, the level
and whether it is above the appetite; the risk is saved with those ratings."""

import pytest
from playwright.sync_api import expect

from risks.models import Risk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "inherent": "4 × 5 = 20 · Critical · above appetite",
        "residual": "2 × 2 = 4 · Low · within appetite",
    },
    "zh-hans": {"inherent": "4 × 5 = 20 · 极高 · 超出风险偏好", "residual": "2 × 2 = 4 · 低 · 在风险偏好内"},
}


def cell(page, prefix: str, likelihood: int, impact: int):
    picker = page.locator(f"[data-rating-picker][data-impact='id_{prefix}impact']")
    return picker.locator(f"button[data-likelihood='{likelihood}'][data-impact='{impact}']")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_risk_rated_by_clicking_the_matrix(
    signed_in_page, live_server, cast, matrix, screenshot_dir, language
):
    words = WORDS[language]
    officer = cast["officer"]
    officer.language = language
    officer.save(update_fields=["language"])
    page = signed_in_page(officer)
    for width, height in ((390, 844), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/risks/new/")
        assert page.locator("[data-rating-picker]").count() == 3  # inherent, residual, target
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.fill("#id_title", "Key supplier stops deliveries")
    page.select_option("#id_category", label=page.locator("#id_category option").nth(1).inner_text())
    cell(page, "", 4, 5).click()
    assert (page.input_value("#id_likelihood"), page.input_value("#id_impact")) == ("4", "5")
    expect(cell(page, "", 4, 5)).to_have_attribute("aria-pressed", "true")
    inherent = page.locator("[data-rating-picker][data-impact='id_impact'] [data-rating-result]")
    expect(inherent).to_have_text(words["inherent"])
    cell(page, "residual_", 2, 2).click()
    residual = page.locator("[data-rating-picker][data-impact='id_residual_impact'] [data-rating-result]")
    expect(residual).to_have_text(words["residual"])
    page.select_option("#id_residual_likelihood", "3")  # the select moves the highlighted cell too
    expect(cell(page, "residual_", 3, 2)).to_have_attribute("aria-pressed", "true")
    expect(cell(page, "residual_", 2, 2)).to_have_attribute("aria-pressed", "false")
    page.screenshot(path=screenshot_dir / f"rating-picker-{language}.png", full_page=True)

    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/new/" not in url)
    risk = Risk.objects.get(title="Key supplier stops deliveries")
    assert (risk.likelihood, risk.impact, risk.residual_likelihood, risk.residual_impact) == (4, 5, 3, 2)
