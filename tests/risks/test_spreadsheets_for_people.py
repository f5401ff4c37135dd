"""Spreadsheets for office users: the import template (header, drop-down lists, instructions), the
export for people (their language, their time zone, real numbers and dates, a frozen header and
filters, a byte-order mark on CSV), an export re-imported unchanged that changes nothing, and the
preview that shows each row's fields."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from people.models import Role
from playbooks.models import Playbook, PlaybookStatus
from risks import importing
from risks.columns import COLUMNS, EXPORTED, GUIDANCE, heading
from risks.models import Category, ImportJob, Risk, ScoreChange

pytestmark = pytest.mark.django_db

SHANGHAI = "Asia/Shanghai"
REVIEW = dt.datetime(2027, 3, 31, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def reader(make_user):
    """A risk officer in Shanghai; each test sets the language."""
    names = {"first_name": "Na", "last_name": "Li · 李娜"}
    return make_user(Role.RISK_OFFICER, username="li.na", timezone=SHANGHAI, **names)


@pytest.fixture
def plan(db):
    """A playbook in two versions: v1 retired, v2 published."""
    first = Playbook.objects.create(name="供应链中断三级响应", status=PlaybookStatus.RETIRED)
    return Playbook.objects.create(
        name=first.name, lineage=first.lineage, version=2, status=PlaybookStatus.PUBLISHED
    )


@pytest.fixture
def filled(make_risk, reader, plan):
    """Two risks as a risk officer keeps them: one with every column filled, one not rated."""
    full = make_risk(
        title="关键供应商停止供货",
        cause="=1+2",
        event="Deliveries stop",
        consequence="Stock-out,\nlost sales",
        category=Category.objects.get(key="financial"),
        owner=reader,
        likelihood=4,
        impact=5,
        residual_likelihood=2,
        residual_impact=3,
        target_likelihood=1,
        target_impact=2,
        treatment="transfer",
        playbook=plan,
        review_interval_days=60,
        next_review_at=REVIEW,
    )
    bare = make_risk(title="Not looked at yet", likelihood=None, impact=None, owner=reader)
    return full, bare


def as_reader(client, reader, language):
    reader.language = language
    reader.save(update_fields=["language"])
    client.force_login(reader)
    return client


def import_on_page(client, content: bytes, name: str) -> ImportJob:
    """The import (not a preview) of a file uploaded on the page: its job."""
    response = client.post("/risks/import/", {"file": SimpleUploadedFile(name, content)})
    return ImportJob.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])


def workbook(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def lists_of(sheet) -> dict[str, list[str]]:
    """Each column's drop-down list (by heading), read from the sheet the validation points to."""
    headings = [cell.value for cell in sheet[1]]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        [cells_validated] = validation.sqref.ranges
        column = headings[cells_validated.min_col - 1]
        where, cells = validation.formula1.split("!")
        source = sheet.parent[where.strip("'")]
        found[column] = [cell.value for [cell] in source[cells.replace("$", "")]]
        found[column + " (style)"] = validation.errorStyle
    return found


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_template_has_the_header_a_drop_down_list_per_closed_column_and_instructions(
    client, reader, plan, language
):
    book = workbook(as_reader(client, reader, language).get("/risks/import/template/"))
    with translation.override(language):
        headings = [heading(column) for column in COLUMNS]
        words = {column: heading(column) for column in COLUMNS}
        guidance = {column: str(GUIDANCE[column]) for column in COLUMNS}
        categories = [category.label for category in Category.objects.filter(active=True)]
    risks, instructions, lists = book.worksheets
    assert (risks.title, instructions.title) == {
        "en": ("Risks", "How to fill in"),
        "zh-hans": ("风险", "填写说明"),
    }[language]
    assert [cell.value for cell in risks[1]] == headings and risks.max_row == 1
    assert risks.freeze_panes == "A2" and lists.sheet_state == "hidden"
    offered = lists_of(risks)
    likelihood = {"en": "3 · Possible", "zh-hans": "3 · 可能"}[language]
    treatment = {
        "en": ["Avoid", "Transfer", "Mitigate", "Accept"],
        "zh-hans": ["规避", "转移", "降低", "接受"],
    }
    assert offered[words["category"]] == categories and len(categories) == 9
    assert offered[words["treatment"]] == treatment[language]
    assert len(offered[words["likelihood"]]) == 5 and offered[words["likelihood"]][2] == likelihood
    assert offered[words["residual_impact"]][4] == {"en": "5 · Severe", "zh-hans": "5 · 严重"}[language]
    assert "Na Li · 李娜" in offered[words["owner"]] and "li.na" not in offered[words["owner"]]
    assert offered[words["playbook"]] == ["供应链中断三级响应"]
    styles = (offered[words["category"] + " (style)"], offered[words["owner"] + " (style)"])
    assert styles == ("stop", "warning")
    assert set(offered) == {
        words[column] + suffix
        for column in ("category", "source", "owner", "treatment", "playbook", "status", *COLUMNS[8:14])
        for suffix in ("", " (style)")
    }
    said = {row[0]: row for row in instructions.iter_rows(min_row=5, values_only=True) if row[0] in headings}
    assert set(said) == set(headings)
    assert said[words["title"]][1:3] == ({"en": "Yes", "zh-hans": "是"}[language], guidance["title"])
    assert likelihood in said[words["likelihood"]][3]


def test_the_template_is_for_those_who_write_the_register(client, executive):
    client.force_login(executive)
    assert client.get("/risks/import/template/").status_code == 403


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_empty_template_imports_as_nothing_to_do(client, reader, language):
    content = as_reader(client, reader, language).get("/risks/import/template/").content
    job = import_on_page(client, content, "template.xlsx")
    assert (job.errors, job.total_rows, job.created_count) == ([], 0, 0)


EXPECTED = {
    "en": {
        "category": "Financial",
        "level": "Critical",
        "residual_level": "Medium",
        "above_appetite": "No",
        "treatment": "Transfer",
        "status": "Open",
        "source": "Internal",
        "not rated": "Not rated",
    },
    "zh-hans": {
        "category": "财务",
        "level": "极高",
        "residual_level": "中",
        "above_appetite": "否",
        "treatment": "转移",
        "status": "开放",
        "source": "内部",
        "not rated": "未评级",
    },
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_xlsx_export_speaks_the_readers_language_with_numbers_dates_a_frozen_header_and_filters(
    client, reader, filled, language
):
    book = workbook(as_reader(client, reader, language).get("/risks/export/xlsx/"))
    sheet = book.worksheets[0]
    with translation.override(language):
        assert [cell.value for cell in sheet[1]] == [heading(column) for column in EXPORTED]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:Y3"
    cells = {column: sheet.cell(row=2, column=index) for index, column in enumerate(EXPORTED, start=1)}
    expected = EXPECTED[language]
    assert {column: cells[column].value for column in expected if column != "not rated"} == {
        column: text for column, text in expected.items() if column != "not rated"
    }
    assert (cells["owner"].value, cells["playbook"].value) == ("Na Li · 李娜", "供应链中断三级响应")
    numbers = ("likelihood", "impact", "score", "residual_score", "target_likelihood", "review_interval_days")
    assert [(cells[column].data_type, cells[column].value) for column in numbers] == [
        ("n", 4),
        ("n", 5),
        ("n", 20),
        ("n", 6),
        ("n", 1),
        ("n", 60),
    ]
    review = cells["next_review_at"]
    assert (review.is_date, review.value, review.number_format) == (
        True,
        dt.datetime(2027, 3, 31, 9, 30),  # in the reader's time zone
        "yyyy-mm-dd hh:mm",
    )
    assert (cells["cause"].data_type, cells["cause"].value) == ("s", "=1+2")  # text, never a formula
    assert sheet.cell(row=3, column=EXPORTED.index("level") + 1).value == expected["not rated"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_csv_export_for_people_has_a_byte_order_mark_and_local_times(client, reader, filled, language):
    content = as_reader(client, reader, language).get("/risks/export/csv/").content
    assert content.startswith("\ufeff".encode())
    header, full, _bare = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    with translation.override(language):
        assert header == [heading(column) for column in EXPORTED]
    row = dict(zip(EXPORTED, full, strict=True))
    assert (row["next_review_at"], row["category"], row["likelihood"], row["cause"]) == (
        "2027-03-31 09:30",
        EXPECTED[language]["category"],
        "4",
        "'=1+2",
    )


def test_the_export_as_keys_is_for_scripts(api, reader, filled, plan):
    content = api.as_user(reader).get("/api/v1/risks/export/?type=csv&keys=true").content
    header, full, _bare = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    row = dict(zip(header, full, strict=True))
    assert header == EXPORTED
    assert (row["category"], row["owner"], row["playbook"], row["level"], row["next_review_at"]) == (
        "financial",
        "li.na",
        str(plan.pk),
        "critical",
        "2027-03-31T01:30:00+00:00",
    )


@pytest.mark.parametrize("keys", [False, True])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_export_imported_unchanged_changes_nothing(client, reader, filled, plan, language, kind, keys):
    as_reader(client, reader, language)
    content = client.get(f"/risks/export/{kind}/?keys={int(keys)}").content
    history = ScoreChange.objects.count()
    job = import_on_page(client, content, f"register.{kind}")
    assert (job.errors, job.created_count, job.updated_count, job.unchanged_count) == ([], 0, 0, 2)
    assert ScoreChange.objects.count() == history
    assert set(Risk.objects.values_list("version", flat=True)) == {1}
    assert Risk.objects.get(pk=filled[0].pk).playbook == plan  # by name, still the version it linked


def test_an_export_in_chinese_imported_by_an_english_reader_changes_nothing(
    client, reader, filled, make_user
):
    content = as_reader(client, reader, "zh-hans").get("/risks/export/xlsx/").content
    english = make_user(Role.RISK_OFFICER, language="en", timezone=SHANGHAI)
    client.force_login(english)
    job = import_on_page(client, content, "登记册.xlsx")
    assert (job.errors, job.updated_count, job.unchanged_count) == ([], 0, 2)


def test_a_playbook_name_another_plan_shares_leaves_with_its_version_and_comes_back_unchanged(
    client, reader, filled, plan
):
    Playbook.objects.create(name=plan.name)  # another plan of the same name
    content = as_reader(client, reader, "en").get("/risks/export/csv/").content
    _header, full, _bare = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    assert dict(zip(EXPORTED, full, strict=True))["playbook"] == "供应链中断三级响应 v2"
    job = import_on_page(client, content, "register.csv")
    assert (job.errors, job.updated_count, job.unchanged_count) == ([], 0, 2)


def test_a_playbook_named_for_a_new_risk_is_its_published_version_and_an_ambiguous_name_is_refused(
    api, reader, plan
):
    Playbook.objects.create(name="Golden 3 hours")
    Playbook.objects.create(name="Golden 3 hours")  # another plan of the same name
    rows = [
        [heading(column) for column in ("title", "category", "owner", "likelihood", "impact", "playbook")],
        ["Port strike", "Supply chain", "li.na", "3", "3", "供应链中断三级响应"],
        ["Rumour online", "声誉 / 舆情", "li.na", "3", "3", "Golden 3 hours"],
    ]
    response = upload_rows(api.as_user(reader), rows)
    assert [(error["line"], error["field"]) for error in response.json()["errors"]] == [(3, "playbook")]
    response = upload_rows(api, rows[:2])
    assert response.status_code == 200 and Risk.objects.get(title="Port strike").playbook == plan


def upload_rows(api, rows, name="register.xlsx", dry_run=False):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    file = SimpleUploadedFile(name, out.getvalue())
    return api.post("/api/v1/risks/import/", {"file": file, "dry_run": dry_run}, format="multipart")


def test_a_filled_template_in_chinese_previews_each_new_rows_fields_in_the_readers_words(
    client, api, reader, plan
):
    reader.language = "zh-hans"
    reader.save(update_fields=["language"])
    with translation.override("zh-hans"):
        header = [heading(column) for column in COLUMNS]
    row = dict.fromkeys(COLUMNS, None) | {
        "title": "经营现金流连续两个季度为负",
        "category": "财务",
        "owner": "Na Li · 李娜",  # as the drop-down offers it
        "likelihood": "4 · 很可能",
        "impact": "严重",
        "treatment": "转移",
        "playbook": "供应链中断三级响应",
        "next_review_at": dt.datetime(2027, 3, 31, 9, 30),  # a date cell, in the importer's time zone
        "status": "开放",
    }
    response = upload_rows(api.as_user(reader), [header, list(row.values())], dry_run=True)
    assert response.status_code == 200, response.json()
    [change] = response.json()["changes"]
    assert change["action"] == "create" and change["values"] == [
        ["title", "经营现金流连续两个季度为负"],
        ["category", "财务"],
        ["source", "内部"],
        ["owner", "Na Li · 李娜"],
        ["likelihood", "4 · 很可能"],
        ["impact", "5 · 严重"],
        ["residual_likelihood", "4 · 很可能"],
        ["residual_impact", "5 · 严重"],
        ["treatment", "转移"],
        ["playbook", "供应链中断三级响应"],
        ["next_review_at", "2027-03-31 09:30"],
        ["status", "开放"],
    ]
    client.force_login(reader)
    page = client.get(f"/risks/import/{response.json()['id']}/").content.decode()
    assert "<dt>固有可能性</dt><dd>4 · 很可能</dd>" in page
    assert "<dt>预案</dt><dd>供应链中断三级响应</dd>" in page
    assert not Risk.objects.exists()
    client.post(f"/risks/import/{response.json()['id']}/")
    risk = Risk.objects.get()
    assert (risk.category.key, risk.owner, risk.likelihood, risk.impact, risk.treatment, risk.playbook) == (
        "financial",
        reader,
        4,
        5,
        "transfer",
        plan,
    )
    assert risk.next_review_at == REVIEW


def test_a_queued_import_reports_in_its_importers_language_and_reads_times_in_their_time_zone(reader):
    reader.language = "zh-hans"
    reader.save(update_fields=["language"])
    rows = "title,category,owner,likelihood,impact,next_review_at\n"
    rows += "Port strike,market,li.na,3,9,2027/03/31 09:30\n"
    job = importing.import_job_create(content=rows.encode(), filename="r.csv", by=reader, dry_run=True)
    importing.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    [error] = job.errors
    assert error["field"] == "impact" and "矩阵" in error["message"]
    fixed = importing.import_job_create(
        content=rows.replace(",9,", ",3,").encode(), filename="r.csv", by=reader, dry_run=False
    )
    importing.import_job_run(job_id=fixed.pk)
    assert Risk.objects.get().next_review_at == REVIEW
