"""In a real browser, in Chinese and in English: a re-rating without a reason is refused next to
its field; an empty review is refused and moves nothing; a review's note is kept in the history
with a link to the review; the overdue badges are readable on a page that also shows KRIs; the
risk's incidents are listed. Screenshots of the risk page and the register at 1440 × 900 and
390 × 844 (no sideways scrolling)."""

import datetime as dt

import pytest

from indicators.services import kri_create
from people.models import Role
from risks import services
from risks.models import Category, RiskReview
from tests.factories import NOW, person, plant_fire, published_plan, supply_chain_cast, three_tier_spec

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-hans": {
        "reason": "请说明评级变化的原因。",
        "looked_at": "请说明复核了哪些内容。",
        "notes": "请说明为何无变化。",
        "source": "定期复核",
        "sev": "1 级",
        "not_rated": "未评级",
        "not_rated_count": "1 项未关闭的风险尚未评级",
    },
    "en": {
        "reason": "Say why the ratings change.",
        "looked_at": "Say what the review looked at.",
        "notes": "Say why nothing changes.",
        "source": "Periodic review of",
        "sev": "SEV 1",
        "not_rated": "Not rated",
        "not_rated_count": "1 open risk is not rated yet",
    },
}
SIZES = {"wide": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}

# WCAG 2.x contrast of two computed "rgb(r, g, b)" colours.
CONTRAST = """(element) => {
  const style = getComputedStyle(element);
  const channels = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (rgb) => {
    const linear = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    const [r, g, b] = rgb.map(linear);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(channels(style.color)), luminance(channels(style.backgroundColor))];
  return {color: style.color, background: style.backgroundColor,
          ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
}"""


@pytest.fixture
def world(db):
    cast = supply_chain_cast()
    risk = services.risk_create(
        by=cast["officer"],
        title="关键供应商停止供货 · Key supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=cast["buyer"],
        likelihood=4,
        impact=5,
        next_review_at=NOW - dt.timedelta(days=3),
        now=NOW - dt.timedelta(days=40),
    )
    services.action_create(
        risk=risk,
        by=cast["officer"],
        title="启用备用供应商 · Qualify the backup supplier",
        owner=cast["buyer"],
        due_at=NOW - dt.timedelta(days=1),
        now=NOW - dt.timedelta(days=20),
    )
    kri_create(
        by=None,
        name="供应商准时交付率 · Supplier on-time delivery",
        owner=cast["buyer"],
        direction="lower_is_worse",
        amber=90,
        red=80,
        unit="%",
        risks=[risk],
    )
    plant_fire(cast, published_plan(three_tier_spec(cast), cast["officer"]), NOW, risks=[risk])
    services.risk_create(
        by=cast["officer"],
        title="新市场的监管变化 · Regulation changes in a new market",
        category=Category.objects.get(key="financial"),
        owner=cast["officer"],
    )
    return {"risk": risk, **cast}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_reasons_reviews_and_badges_in_the_browser(
    signed_in_page, live_server, screenshot_dir, world, language
):
    words, risk = WORDS[language], world["risk"]
    officer = person(Role.RISK_OFFICER, "reviewer", language=language)
    page = signed_in_page(officer)
    page.set_viewport_size(SIZES["wide"])
    url = f"{live_server.url}/risks/{risk.pk}/"
    page.goto(url)

    # Both overdue badges and every level badge readable (the KRI stylesheet is on this page too);
    # the incident listed.
    badges = page.locator(".marker.overdue")
    assert badges.count() == 2
    levels = page.locator(".badge[class*='level-']")
    for badge in [badges.nth(index) for index in range(2)] + levels.all():
        measured = badge.evaluate(CONTRAST)
        assert measured["ratio"] >= 4.5, measured
    incidents = page.locator("ul.risk-incidents").inner_text()
    assert "Main supplier plant fire" in incidents and words["sev"] in incidents

    # A re-rating with no reason: refused next to the reason, nothing written.
    page.goto(f"{url}edit/")
    page.select_option("#id_residual_likelihood", "2")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    reason_box = page.locator("div", has=page.locator("#id_reason")).last
    assert words["reason"] in reason_box.inner_text()
    risk.refresh_from_db()
    assert (risk.residual_likelihood, risk.version, risk.score_changes.count()) == (4, 1, 1)

    # An empty review: refused next to its fields; the review stays overdue.
    page.goto(url)
    page.click("#review-form button[type=submit]")
    page.wait_for_load_state()
    assert words["looked_at"] in page.locator("fieldset.looked-at").inner_text()
    assert words["notes"] in page.locator("#review-form .field-notes").inner_text()
    assert not RiskReview.objects.exists()
    assert page.locator(".marker.overdue").count() == 2

    # A real review that re-rates: the note is the reason, the review its linked source.
    note = "备用供应商已签约 · Backup supplier signed"
    page.check("input[name=looked_at][value=ratings]")
    page.check("input[name=looked_at][value=actions]")
    page.select_option("#id_outcome", "rerated")
    page.select_option("#id_residual_likelihood", "2")
    page.select_option("#id_residual_impact", "3")
    page.fill("#id_notes", note)
    page.click("#review-form button[type=submit]")
    page.wait_for_url(url)  # recorded: back on the risk's page
    review = RiskReview.objects.get()
    latest = page.locator("table.history tbody tr").first
    assert note in latest.locator(".reason").inner_text()
    source = latest.locator(".change-source a")
    assert words["source"] in source.inner_text() and source.get_attribute("href") == f"#review-{review.pk}"
    assert page.locator(f"#review-{review.pk}").is_visible()
    risk.refresh_from_db()
    assert (risk.residual_likelihood, risk.residual_impact) == (2, 3)
    assert page.locator(".marker.overdue").count() == 1  # the review is done; the action is still late

    # The heat map counts the risk not rated yet apart from its cells.
    page.goto(f"{live_server.url}/risks/heatmap/")
    assert words["not_rated_count"] in page.locator(".heatmap-not-rated").inner_text()
    assert sum(int(cell) for cell in page.locator("td.cell a.cell-count").all_inner_texts()) == 1
    page.screenshot(path=screenshot_dir / f"register-heatmap-{language.split('-')[0]}.png", full_page=True)

    # Screenshots, and no sideways scrolling on a phone; the register shows the risk not rated yet.
    short = language.split("-")[0]
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        for name, path in (("risk", f"/risks/{risk.pk}/"), ("register", "/risks/")):
            page.goto(f"{live_server.url}{path}")
            if name == "register":
                assert words["not_rated"] in page.locator("table.risk-table").inner_text()
            page.screenshot(path=screenshot_dir / f"register-{name}-{size_name}-{short}.png", full_page=True)
            if size_name == "phone":
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= size["width"], (path, width)
