"""A risk officer makes a new version of the matrix on its page, in Chromium, in both languages, at
a desk and on a phone: changes a likelihood label, a level's label and colour and a grid cell, sees
the preview change at once, checks it on the server, saves it as v2; a risk re-scored onto v2 is
rated on a picker with the new words and colour."""

import pytest
from playwright.sync_api import expect

from risks import services
from risks.models import RiskMatrix
from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PURPLE = "#7b1fa2"
WORDS = {
    "en": {"field": "en", "level": "Significant", "likely": "Plausible", "above": "above appetite"},
    "zh-hans": {"field": "zh", "level": "显著", "likely": "有可能", "above": "超出风险偏好"},
}


def preview_cell(page, likelihood: int, impact: int):
    return page.locator(
        f"[data-matrix-preview] button[data-likelihood='{likelihood}'][data-impact='{impact}']"
    )


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_new_matrix_version_made_on_its_page(
    signed_in_page, live_server, matrix, make_risk, screenshot_dir, language
):
    words = WORDS[language]
    risk = make_risk(likelihood=3, impact=3)  # medium on v1
    officer = risk.owner  # a risk officer
    officer.language = language
    officer.save(update_fields=["language"])
    page = signed_in_page(officer)
    for width, height in ((390, 844), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/risks/matrix/")
        no_sideways_scroll(page, width)
        page.screenshot(path=screenshot_dir / f"matrix-v1-{language}-{width}.png", full_page=True)
        page.click("a[href='/risks/matrix/new/']")
        page.wait_for_url("**/risks/matrix/new/")
        no_sideways_scroll(page, width)
        page.screenshot(path=screenshot_dir / f"matrix-editor-{language}-{width}.png", full_page=True)

    expect(preview_cell(page, 3, 3)).to_have_class("cell level-medium")
    page.fill("#id_likelihood_3_" + words["field"], words["likely"])
    page.fill("#id_level_high_" + words["field"], words["level"])
    page.fill("#id_level_high_color", PURPLE)
    page.select_option("#id_grid_3_3", "high")
    # The preview follows at once: the cell's level, its words, its colour, and the appetite outline.
    expect(preview_cell(page, 3, 3)).to_have_class("cell level-high above-appetite")
    expect(preview_cell(page, 3, 3)).to_have_attribute("data-level", words["level"])
    expect(preview_cell(page, 3, 3)).to_have_css("background-color", "rgb(123, 31, 162)")
    expect(page.locator("[data-matrix-preview] th[data-likelihood-label='3']")).to_have_attribute(
        "title", words["likely"]
    )
    expect(page.locator("[data-matrix-preview] [data-legend='high']")).to_have_text(words["level"])

    page.click("button[name=preview]")
    expect(page.locator("button[name=save]")).to_be_visible()
    expect(preview_cell(page, 3, 3)).to_have_attribute("data-color", PURPLE)  # drawn by the server
    assert RiskMatrix.objects.count() == 1  # a preview saves nothing
    assert csp_violations(page) == []
    page.screenshot(path=screenshot_dir / f"matrix-preview-{language}.png", full_page=True)
    page.click("button[name=save]")
    page.wait_for_url(f"{live_server.url}/risks/matrix/")
    expect(page.locator("h1")).to_contain_text("v2")
    active = RiskMatrix.objects.first()
    assert (active.version, active.created_by, active.level_of(3, 3)) == (2, officer, "high")
    assert active.level("high")[f"label_{words['field']}"] == words["level"]

    services.risk_rescore(risk=risk, by=officer, reason="Matrix v2 adopted")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/risks/{risk.pk}/edit/")
    no_sideways_scroll(page, 390)
    expect(page.locator("#id_likelihood option[value='3']")).to_have_text(f"3 · {words['likely']}")
    picker = page.locator("[data-rating-picker][data-impact='id_impact']")
    expect(picker.locator("th[data-likelihood-label='3']")).to_have_attribute("title", words["likely"])
    picker.locator("button[data-likelihood='3'][data-impact='3']").click()
    result = picker.locator("[data-rating-result]")
    expect(result).to_have_text(f"3 × 3 = 9 · {words['level']} · {words['above']}")
    expect(result).to_have_css("background-color", "rgb(123, 31, 162)")
    page.screenshot(path=screenshot_dir / f"matrix-v2-picker-{language}.png", full_page=True)
    assert csp_violations(page) == []
