"""A risk officer does a full review cycle in a real browser, in Chinese and in English: finds the
overdue review in the register, adds a treatment action and marks it done, records the review; then
uploads a file with a bad row and is told which line and field, with nothing written. Screenshots kept."""

import datetime as dt

import pytest

from people.models import Role
from risks.models import Risk, RiskReview, TreatmentAction
from tests.factories import NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-hans": {"overdue": "逾期", "done": "已完成", "columns": ("固有可能性", "负责人")},
    "en": {"overdue": "Overdue", "done": "Done", "columns": ("Inherent likelihood", "Owner")},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_full_review_cycle_and_a_bad_file(
    signed_in_page, make_user, make_risk, live_server, screenshot_dir, tmp_path, language
):
    words = WORDS[language]
    officer = make_user(Role.RISK_OFFICER, username="risk.officer", language=language)
    risk = make_risk(
        title="关键供应商停止供货 · Key supplier stops deliveries",
        owner=officer,
        likelihood=4,
        impact=5,
        next_review_at=NOW - dt.timedelta(days=3),
    )
    make_risk(title="经营现金流为负 · Operating cash flow negative", category_key="financial")
    shot = f"{language.split('-')[0]}.png"
    page = signed_in_page(officer)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The register shows which review is overdue; the risk opens from it.
    page.goto(f"{live_server.url}/risks/?review_overdue=on")
    rows = page.locator("table.risk-table tbody tr")
    assert rows.count() == 1 and words["overdue"] in rows.first.inner_text()
    page.screenshot(path=screenshot_dir / f"review-cycle-register-{shot}", full_page=True)
    rows.first.locator(f'a[href="/risks/{risk.pk}/"]').first.click()
    page.wait_for_url(f"{live_server.url}/risks/{risk.pk}/")

    # A treatment action, then done.
    page.fill("#id_title", "启用备用供应商 · Qualify the backup supplier")
    page.fill("#id_due_at", (NOW + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"))
    page.click("form[action$='/actions/'] button[type=submit]")
    page.wait_for_load_state()
    page.click("form[action$='/status/'] button[type=submit]")
    page.wait_for_load_state()
    assert TreatmentAction.objects.get().status == "done"
    assert (
        words["done"]
        in page.locator("section.card", has=page.locator("form[action$='/actions/']")).inner_text()
    )

    # The review: recorded, the next one set from the level's interval, the overdue marker gone.
    page.check("input[name=looked_at][value=actions]")
    page.select_option("#id_outcome", "rerated")
    page.select_option("#id_residual_likelihood", "2")
    page.fill("#id_notes", "备用供应商已签约 · Backup supplier signed")
    page.click("form[action$='/review/'] button[type=submit]")
    page.wait_for_load_state()
    review = RiskReview.objects.get()
    risk.refresh_from_db()
    assert review.notes.startswith("备用供应商") and not risk.review_overdue()
    assert "备用供应商已签约" in page.content() and page.locator(".marker.overdue").count() == 0
    page.screenshot(path=screenshot_dir / f"review-cycle-risk-{shot}", full_page=True)

    # A file with an out-of-scale rating and an unknown owner: each said with its line, nothing written.
    export = page.request.get(f"{live_server.url}/risks/export/csv/?keys=1").text()
    header, first, second = export.strip().splitlines()
    bad = tmp_path / "register.csv"
    bad.write_text(
        "\n".join(
            [header, first.replace(",4,5,", ",9,5,", 1), second.replace(",officer,", ",nobody.here,", 1)]
        )
        + "\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/risks/import/")
    page.set_input_files("#id_file", str(bad))
    page.uncheck("#id_dry_run")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    report = page.locator("main").inner_text()
    assert all(column in report for column in words["columns"])
    page.screenshot(path=screenshot_dir / f"review-cycle-bad-file-{shot}", full_page=True)
    assert [r.likelihood for r in Risk.objects.order_by("number")] == [4, 3]
