"""The demo register loads; the pages in a real browser, in English and Chinese (screenshots kept)."""

import pytest

from people import demo as people_demo
from risks import demo as risks_demo
from risks import services
from risks.models import Risk, TreatmentAction
from tests.factories import PASSWORD


@pytest.fixture
def demo_register(db):
    people_demo.load(PASSWORD)
    risks_demo.load(PASSWORD)


@pytest.mark.django_db
def test_the_demo_register_is_bilingual_with_overdue_work(demo_register):
    assert Risk.objects.count() == 10
    assert all(" · " in risk.title for risk in Risk.objects.all())
    assert sum(risk.review_overdue() for risk in Risk.objects.all()) == 2
    assert sum(action.overdue() for action in TreatmentAction.objects.all()) == 1
    assert not Risk.objects.exclude(playbook=None).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_register_pages_in_both_languages(demo_register, signed_in_page, live_server, screenshot_dir):
    from people.models import User

    officer = User.objects.get(username="risk.officer")
    officer.language = "en"
    officer.save()
    page = signed_in_page(officer)
    supply = Risk.objects.get(number=1)
    for language in ("en", "zh"):
        page.goto(f"{live_server.url}/risks/")
        assert page.locator("table.risk-table tbody tr").count() == 10
        page.screenshot(path=screenshot_dir / f"risks-register-{language}.png", full_page=True)
        page.goto(f"{live_server.url}/risks/{supply.pk}/")
        page.screenshot(path=screenshot_dir / f"risks-detail-{language}.png", full_page=True)
        page.goto(f"{live_server.url}/risks/heatmap/")
        page.screenshot(path=screenshot_dir / f"risks-heatmap-{language}.png", full_page=True)
        page.goto(f"{live_server.url}/risks/{supply.pk}/edit/")
        page.screenshot(path=screenshot_dir / f"risks-form-{language}.png", full_page=True)
        if language == "en":
            page.click("button[name=language][value=zh-hans]")
            page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("编辑")
    # A stale edit in the browser: someone saves in between, the form says so and shows both.
    services.risk_update(risk=supply, by=officer, changes={"title": "Changed meanwhile"})
    page.fill("#id_title", "My edit")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator(".stale").is_visible() and "Changed meanwhile" in page.locator(".stale").inner_text()
    page.screenshot(path=screenshot_dir / "risks-stale-zh.png", full_page=True)
    # Clicking a heat-map cell opens the register filtered to it.
    page.goto(f"{live_server.url}/risks/heatmap/")
    page.locator("td.cell:not(.empty) a").first.click()
    page.wait_for_load_state()
    assert "likelihood=" in page.url and page.locator("table.risk-table tbody tr").count() >= 1
