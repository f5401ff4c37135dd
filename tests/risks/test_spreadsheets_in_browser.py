"""A risk officer in Shanghai, in Chromium, in English and in Chinese: downloads the import template,
fills a row in with Chinese labels, uploads it, sees the preview's row with its fields, imports it,
and exports the register back — XLSX and CSV (with its byte-order mark) — with the same content, a
formula-like cell left as text; the export imported again changes nothing. Screenshots kept."""

import csv
import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from people.models import Role
from playbooks.models import Playbook, PlaybookStatus
from risks.columns import EXPORTED, heading
from risks.models import ImportJob, Risk
from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "供应链中断三级响应"
FORMULA = '=HYPERLINK("http://example.com","点这里")'
# What the risk officer writes: labels in Chinese, a time in their own time zone.
ROW = {
    "title": "关键供应商停止供货",
    "cause": FORMULA,
    "category": "供应链",
    "owner": "Na Li · 李娜",
    "likelihood": "4 · 很可能",
    "impact": "5 · 严重",
    "residual_likelihood": "2 · 不太可能",
    "residual_impact": "中等",
    "treatment": "转移",
    "playbook": PLAN,
    "next_review_at": "2027/03/31 09:30",
    "status": "开放",
}
# What the export says back, in the reader's language.
EXPORTED_BACK = {
    "en": {"category": "Supply chain", "treatment": "Transfer", "status": "Open", "level": "Critical"},
    "zh-hans": {"category": "供应链", "treatment": "转移", "status": "开放", "level": "极高"},
}
SIZES = [(1440, 900), (390, 844)]


def look(page, shots, name: str) -> list[str]:
    """Screenshots at a desk and on a phone; the sizes at which the page scrolls sideways."""
    too_wide = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=shots / f"{name}-{width}.png", full_page=True)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(f"{name} at {width}")
    return too_wide


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_template_filled_in_chinese_imported_and_exported_back_the_same(
    signed_in_page, make_user, matrix, live_server, screenshot_dir, tmp_path, language
):
    officer = make_user(
        Role.RISK_OFFICER,
        username="li.na",
        first_name="Na",
        last_name="Li · 李娜",
        language=language,
        timezone="Asia/Shanghai",
    )
    plan = Playbook.objects.create(name=PLAN, status=PlaybookStatus.PUBLISHED)
    with translation.override(language):
        words = {column: heading(column) for column in EXPORTED}
    page = signed_in_page(officer)
    page.goto(f"{live_server.url}/risks/import/")
    too_wide = look(page, screenshot_dir, f"import-{language}")

    with page.expect_download() as download:
        page.click("#import-template")
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "risk-register-template.xlsx"
    book = load_workbook(template)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for column, value in ROW.items():
        cell = sheet.cell(row=2, column=header.index(words[column]) + 1, value=value)
        cell.data_type = "s"  # as typed into a text cell: the formula stays text
    filled = tmp_path / "风险登记册.xlsx"
    book.save(filled)

    page.set_viewport_size({"width": 1440, "height": 900})
    page.set_input_files("#id_file", str(filled))
    expect(page.locator("#id_dry_run")).to_be_checked()
    page.click("form button[type=submit].primary")
    fields = page.locator(".import-changes .row-fields")
    expect(fields).to_have_count(1)
    back = EXPORTED_BACK[language]
    for column, text in {
        "title": ROW["title"],
        "category": back["category"],
        "owner": ROW["owner"],
        "likelihood": {"en": "4 · Likely", "zh-hans": "4 · 很可能"}[language],
        "residual_impact": {"en": "3 · Moderate", "zh-hans": "3 · 中等"}[language],
        "treatment": back["treatment"],
        "playbook": PLAN,
        "next_review_at": "2027-03-31 09:30",
    }.items():
        expect(fields.locator("div", has=page.locator(f"dt:text-is('{words[column]}')"))).to_contain_text(
            text
        )
    assert not Risk.objects.exists()
    too_wide += look(page, screenshot_dir, f"import-preview-{language}")

    preview = page.url
    page.click("#job form button.primary")  # import for real
    page.wait_for_url(lambda url: url != preview)
    risk = Risk.objects.get()
    assert (risk.category.key, risk.owner, risk.treatment, risk.playbook, risk.cause) == (
        "supply-chain",
        officer,
        "transfer",
        plan,
        FORMULA,
    )
    assert risk.next_review_at == dt.datetime(2027, 3, 31, 1, 30, tzinfo=dt.UTC)

    # The export says the same, in the reader's words: XLSX with numbers and a date, the formula as text.
    workbook = page.request.get(f"{live_server.url}/risks/export/xlsx/").body()
    exported = load_workbook(io.BytesIO(workbook)).worksheets[0]
    cells = {column: exported.cell(row=2, column=index) for index, column in enumerate(EXPORTED, 1)}
    assert [cell.value for cell in exported[1]] == [words[column] for column in EXPORTED]
    assert {column: cells[column].value for column in back} == back
    assert [cells[column].value for column in ("title", "owner", "playbook")] == [
        ROW["title"],
        ROW["owner"],
        PLAN,
    ]
    ratings = [
        cells[column].value for column in ("likelihood", "impact", "residual_likelihood", "residual_impact")
    ]
    assert ratings == [4, 5, 2, 3]
    assert cells["next_review_at"].value == dt.datetime(2027, 3, 31, 9, 30)
    assert (cells["cause"].data_type, cells["cause"].value) == ("s", FORMULA)

    # The CSV starts with a byte-order mark, says the same, and keeps the formula from running.
    content = page.request.get(f"{live_server.url}/risks/export/csv/").body()
    assert content.startswith("\ufeff".encode())
    header_row, row = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    shown = dict(zip(EXPORTED, row, strict=True))
    assert header_row == [words[column] for column in EXPORTED]
    assert {column: shown[column] for column in back} == back
    assert (shown["next_review_at"], shown["cause"], shown["likelihood"]) == (
        "2027-03-31 09:30",
        "'" + FORMULA,
        "4",
    )

    # Imported again, unchanged, the export changes nothing.
    again = tmp_path / "register.csv"
    again.write_bytes(content)
    page.goto(f"{live_server.url}/risks/import/")
    page.set_input_files("#id_file", str(again))
    page.click("form button[type=submit].primary")
    counts = {"en": "0 to create, 0 to update, 1 unchanged", "zh-hans": "新建 0 条，更新 0 条，未变 1 条"}
    expect(page.locator("#job")).to_contain_text(counts[language])
    job = ImportJob.objects.first()
    assert (job.errors, job.created_count, job.updated_count, job.unchanged_count) == ([], 0, 0, 1)
    assert not too_wide and csp_violations(page) == []
