"""In Chromium, on a desk and on a phone, in both languages: the dashboard's heat map names the
risks of its cells and switches between inherent and residual; a risk's page draws its score over
time; neither page scrolls sideways."""

import pytest
from playwright.sync_api import expect

from people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1440, 900), (390, 844)]
WORDS = {
    "en": {
        "inherent": "Inherent ratings: each risk before any treatment.",
        "residual": "Residual ratings: each risk with its treatment in place.",
        "more": "+2 more",
        "reason": "Residual 2 × 3 = 6, Medium · Backup supplier signed",
    },
    "zh-hans": {
        "inherent": "固有风险评级：各项风险在采取任何应对措施之前的评级。",
        "residual": "剩余风险评级：各项风险在落实应对措施之后的评级。",
        "more": "另有 2 项",
        "reason": "剩余 2 × 3 = 6，中 · Backup supplier signed",
    },
}


def scrolled_sideways(page, width: int, height: int) -> bool:
    page.set_viewport_size({"width": width, "height": height})
    return page.evaluate("document.documentElement.scrollWidth") > width


def test_the_heat_map_names_its_risks_and_a_risk_page_draws_its_score_on_a_desk_and_a_phone(
    signed_in_page, make_user, crowded, treated, live_server, screenshot_dir
):
    suppliers, port_strike = crowded["crowd"][:3], crowded["crowd"][4]
    too_wide = []
    for language, words in WORDS.items():
        page = signed_in_page(make_user(Role.EXECUTIVE, language=language))
        page.goto(f"{live_server.url}/dashboard/")
        card = page.locator(".heatmap-card")
        expect(card.locator("caption")).to_have_text(words["inherent"])
        for risk in suppliers:  # the first three of likelihood 4 × impact 5
            expect(card.locator(f"a[href='/risks/{risk.pk}/']")).to_have_text(risk.ref)
        expect(card.locator("a.more")).to_have_text(words["more"])
        expect(card.locator(f"a[href='/risks/{port_strike.pk}/']")).to_have_count(0)
        too_wide += [f"dashboard {language} {size}" for size in SIZES if scrolled_sideways(page, *size)]
        card.screenshot(path=screenshot_dir / f"heatmap-card-{language}-390.png")

        card.locator("[data-heatmap-rating=residual]").click()
        expect(card.locator("caption")).to_have_text(words["residual"])
        expect(card.locator("[data-heatmap-rating=residual]")).to_have_attribute("aria-pressed", "true")
        expect(card.locator(f"a[href='/risks/{port_strike.pk}/']")).to_have_text(port_strike.ref)

        page.goto(f"{live_server.url}/risks/{treated.pk}/")
        expect(page.locator(".trajectory-point")).to_have_count(7)  # 3 inherent, 3 residual, 1 target
        residual = page.locator(".trajectory-point[data-series=residual] title")
        assert words["reason"] in residual.nth(1).text_content()
        expect(page.locator(".change-number")).to_have_text(["3", "2", "1"])
        too_wide += [f"risk {language} {size}" for size in SIZES if scrolled_sideways(page, *size)]
        page.locator(".trajectory").screenshot(path=screenshot_dir / f"trajectory-{language}-390.png")
    assert too_wide == []
