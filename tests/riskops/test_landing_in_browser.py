"""Each role's landing page in a real browser, in both languages, on a desk and on a phone."""

import datetime as dt

import pytest
from django.utils import timezone

from risks import services as risk_services
from risks.models import Category, Risk
from tests.factories import H, plant_fire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1440, 900), (390, 844)]
HEADINGS = {
    "en": {"buyer": "What needs you", "officer": "Needs your attention", "admin": "System health"},
    "zh-hans": {"buyer": "需要您处理的事项", "officer": "需要您关注的事项", "admin": "系统状态"},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_role_lands_on_its_work_without_sideways_scrolling(
    signed_in_page, cast, playbook, live_server, screenshot_dir, language
):
    plant_fire(cast, playbook, timezone.now() - 3 * H)
    late = risk_services.risk_create(
        by=cast["officer"],
        title="Warehouse lease ends without a replacement site",
        category=Category.objects.get(key="supply-chain"),
        owner=cast["buyer"],
        likelihood=5,
        impact=5,
    )
    Risk.objects.filter(pk=late.pk).update(next_review_at=timezone.now() - dt.timedelta(days=9))

    for role, heading in HEADINGS[language].items():
        person = cast[role]
        person.language = language
        person.save(update_fields=["language"])
        page = signed_in_page(person)
        assert page.url == f"{live_server.url}/"
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            assert page.locator("h1").inner_text() == heading
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=screenshot_dir / f"landing-{role}-{language}-{width}.png", full_page=True)
        if role == "buyer":
            assert (
                page.locator(".landing-item.late")
                .first.inner_text()
                .startswith("Switch to the backup-supplier pool")
            )
        if role == "officer":
            assert "Warehouse lease ends" in page.locator("#reviews-heading + ol").inner_text()

    ceo = signed_in_page(cast["ceo"])
    assert ceo.url == f"{live_server.url}/dashboard/"
