"""CSV and XLSX: an exact round trip, every bad row reported with line and field, all or nothing."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from risks import importing, services
from risks.columns import COLUMNS, EXPORTED, heading
from risks.models import ImportJob, Risk, ScoreChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(make_risk, risk_officer):
    first = make_risk(
        cause="Single source, 第一供应商", event="Deliveries stop", consequence="Stock-out,\nlost sales"
    )
    make_risk(
        title="现金流为负",
        category_key="financial",
        likelihood=2,
        impact=5,
        target_likelihood=1,
        target_impact=2,
    )
    services.risk_archive(risk=make_risk(title="Old risk"), by=risk_officer)
    return first


def export(api, user, kind, keys=False):
    response = api.as_user(user).get(f"/api/v1/risks/export/?type={kind}&status=&keys={keys}")
    assert response.status_code == 200
    return response.content


def upload(api, content, name, dry_run=False):
    file = SimpleUploadedFile(name, content)
    return api.post("/api/v1/risks/import/", {"file": file, "dry_run": dry_run}, format="multipart")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_changes_nothing_and_exports_the_same(api, risk_officer, register, kind):
    first = export(api, risk_officer, kind)
    response = upload(api, first, f"register.{kind}")
    assert response.status_code == 200, response.json()
    job = response.json()
    assert (job["created_count"], job["updated_count"], job["unchanged_count"], job["errors"]) == (
        0,
        0,
        2,
        [],
    )
    assert ScoreChange.objects.count() == 3 and Risk.objects.filter(version=1).count() == 2
    if kind == "csv":
        assert export(api, risk_officer, kind) == first


def test_the_csv_has_the_documented_columns_after_a_byte_order_mark(api, risk_officer, register):
    content = export(api, risk_officer, "csv", keys=True)
    assert content.startswith("\ufeff".encode())  # Excel on a Chinese Windows reads it as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == EXPORTED and rows[1][0] == register.ref and rows[1][4] == "Stock-out,\nlost sales"


FORMULAS = {
    "title": '=HYPERLINK("http://example.com/x","Click")',
    "cause": "+1+1",
    "event": "-2+3",
    "consequence": "@SUM(A1:A9)",
}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_that_looks_like_a_formula_never_leaves_as_one_and_comes_back_unchanged(
    api, risk_officer, make_risk, kind
):
    risk = make_risk(**FORMULAS)
    content = export(api, risk_officer, kind)
    if kind == "csv":
        [header, row] = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        cells = dict(zip(header, row, strict=True))
        assert {column: cells[heading(column)] for column in FORMULAS} == {
            column: "'" + text for column, text in FORMULAS.items()
        }
    else:
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        cells = {column: sheet.cell(row=2, column=header.index(heading(column)) + 1) for column in FORMULAS}
        assert {column: (cell.data_type, cell.value) for column, cell in cells.items()} == {
            column: ("s", text) for column, text in FORMULAS.items()
        }
    response = upload(api, content, f"register.{kind}")
    assert response.status_code == 200, response.json()
    assert response.json()["unchanged_count"] == 1
    risk.refresh_from_db()
    assert {column: getattr(risk, column) for column in FORMULAS} == FORMULAS


def _csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return out.getvalue().encode()


def good_row(**extra):
    return {
        "title": "DAU swings 15 %",
        "category": "market",
        "owner": "officer",
        "likelihood": "3",
        "impact": "3",
    } | extra


def test_a_bad_file_is_reported_row_by_row_and_nothing_is_written(api, risk_officer, register):
    content = _csv(
        [
            good_row(),
            good_row(likelihood="6"),
            good_row(owner="nobody", category="astrology"),
            good_row(ref="R-0001", impact="x"),
            good_row(title="", target_likelihood="2"),
        ]
    )
    response = upload(api.as_user(risk_officer), content, "bad.csv")
    assert response.status_code == 400
    errors = {(error["line"], error["field"]) for error in response.json()["errors"]}
    assert errors == {
        (3, "likelihood"),
        (4, "owner"),
        (4, "category"),
        (5, "impact"),
        (6, "title"),
        (6, "target_impact"),
    }
    assert Risk.objects.count() == 3 and ScoreChange.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "name", "field"),
    [
        (b"\x89PNG\r\n", "picture.png", "file"),
        (b"not a zip", "broken.xlsx", "file"),
        (b"\xff\xfe\x00bad", "latin.csv", "file"),
        (b"", "empty.csv", "file"),
        (b"title,colour\nx,red\n", "columns.csv", "owner"),
    ],
)
def test_a_malformed_file_is_a_clear_error(api, risk_officer, register, content, name, field):
    response = upload(api.as_user(risk_officer), content, name)
    assert response.status_code == 400
    body = response.json()
    assert field in {error["field"] for error in body.get("errors", [])} | set(body)
    assert body["file"] and all(isinstance(message, str) for message in body["file"])
    assert Risk.objects.count() == 3


def test_a_dry_run_previews_and_writes_nothing(api, risk_officer, register):
    content = _csv([good_row(), good_row(ref=register.ref, title="Renamed", owner="officer", likelihood="5")])
    response = upload(api.as_user(risk_officer), content, "preview.csv", dry_run=True)
    assert response.status_code == 200
    job = response.json()
    assert (job["created_count"], job["updated_count"]) == (1, 1)
    update = next(change for change in job["changes"] if change["action"] == "update")
    assert update["ref"] == register.ref and {"title", "likelihood"} <= set(update["fields"])
    assert {"title": "Renamed", "likelihood": "5 · Almost certain"}.items() <= dict(update["values"]).items()
    assert Risk.objects.count() == 3
    register.refresh_from_db()
    assert register.title != "Renamed"


def test_an_import_creates_and_updates_with_history(api, risk_officer, register):
    content = _csv([good_row(), good_row(ref=register.ref, title=register.title, likelihood="5", impact="5")])
    response = upload(api.as_user(risk_officer), content, "changes.csv")
    assert response.status_code == 200
    register.refresh_from_db()
    assert (register.level, register.version) == ("critical", 2)
    change = register.score_changes.first()
    assert change.reason == "Imported from changes.csv" and change.by == risk_officer
    created = Risk.objects.get(title="DAU swings 15 %")
    assert created.ref == "R-0004" and created.level == "medium"
    # The counter moved on: the next risk made by hand does not clash.
    assert (
        services.risk_create(
            by=risk_officer, title="n", category=created.category, owner=risk_officer, likelihood=1, impact=1
        ).ref
        == "R-0005"
    )


def test_a_new_ref_in_a_file_is_kept(api, risk_officer, register):
    upload(api.as_user(risk_officer), _csv([good_row(ref="R-0100")]), "kept.csv")
    assert Risk.objects.filter(number=100).exists()


def test_a_large_file_runs_as_a_job_with_progress(
    api, risk_officer, register, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("risks.api.IMPORT_INLINE_LIMIT", 10)
    queued = []
    monkeypatch.setattr("risks.api.run_import.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api.as_user(risk_officer), _csv([good_row()] * 3), "large.csv")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert queued == [response.json()["id"]]
    progress = []
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(
        ImportJob.objects, "filter", lambda *args, **kwargs: _spy(progress, ImportJob.objects.all(), kwargs)
    )
    importing.import_job_run(job_id=queued[0])
    importing.import_job_run(job_id=queued[0])  # delivered twice: runs once
    job = api.get(f"/api/v1/risk-imports/{queued[0]}/").json()
    assert (job["status"], job["processed_rows"], job["total_rows"], job["created_count"]) == (
        "done",
        3,
        3,
        3,
    )
    assert Risk.objects.filter(title="DAU swings 15 %").count() == 3
    assert progress[:3] == [1, 2, 3]  # the job row counted the rows as they were checked


def _spy(progress, queryset, lookups):
    filtered = queryset.filter(**lookups)
    original_update = filtered.update

    def update(**values):
        if "processed_rows" in values and "status" not in values:
            progress.append(values["processed_rows"])
        return original_update(**values)

    filtered.update = update
    return filtered


def test_the_command_imports_with_a_progress_bar(tmp_path, register, capsys):
    path = tmp_path / "risks.csv"
    path.write_bytes(_csv([good_row(), good_row()]))
    call_command("import_risks", str(path), "--by", "officer")
    out, err = capsys.readouterr()
    assert "2 rows: 2 to create" in out and "[" + "#" * 40 + "] 2/2" in err
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([good_row(owner="ghost")]))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_risks", str(bad))
    assert "line 2, owner" in capsys.readouterr().err


def test_an_import_writes_through_the_services_with_its_job_as_the_source(api, risk_officer, register):
    """Audit with the importer, history linked to the job, a worse residual brings the review forward."""
    from audit.models import AuditEntry

    due_before = register.next_review_at
    content = _csv(
        [good_row(ref=register.ref, title=register.title, residual_likelihood="5", residual_impact="5")]
    )
    response = upload(api.as_user(risk_officer), content, "worse.csv")
    assert response.status_code == 200, response.json()
    job = ImportJob.objects.get(pk=response.json()["id"])
    register.refresh_from_db()
    change = register.score_changes.first()
    assert (change.source, change.import_job, change.by) == ("import", job, risk_officer)
    assert register.residual_level == "critical" and register.next_review_at < due_before
    entry = AuditEntry.objects.filter(object_type="risks.risk", object_id=str(register.pk)).order_by("-id")[0]
    assert (entry.actor, entry.action) == (risk_officer, "updated")
    assert api.get(f"/api/v1/risks/{register.pk}/history/").json()["results"][0]["import_job"] == job.pk


def test_an_import_refuses_absurd_review_dates_by_line_and_writes_nothing(api, risk_officer, register):
    content = _csv(
        [good_row(next_review_at="1999-01-01T00:00:00Z"), good_row(next_review_at="2990-01-01T00:00:00Z")]
    )
    response = upload(api.as_user(risk_officer), content, "dates.csv", dry_run=True)
    assert response.status_code == 400
    assert [(error["line"], error["field"]) for error in response.json()["errors"]] == [
        (2, "next_review_at"),
        (3, "next_review_at"),
    ]
    assert Risk.objects.count() == 3


def test_a_row_without_ratings_creates_a_risk_not_rated_and_exports_back_unchanged(
    api, risk_officer, register
):
    content = _csv([good_row(likelihood="", impact="")])
    assert upload(api.as_user(risk_officer), content, "unrated.csv").status_code == 200
    risk = Risk.objects.get(title="DAU swings 15 %")
    assert not risk.rated and risk.level == "" and risk.residual_level == ""
    again = upload(api, export(api, risk_officer, "csv"), "again.csv").json()
    assert (again["created_count"], again["updated_count"], again["unchanged_count"]) == (0, 0, 3)


def test_a_file_in_the_words_people_use_imports_and_an_unknown_value_says_what_would_do(
    api, risk_officer, matrix, make_user
):
    from people.models import Role

    make_user(Role.RESPONDER, username="wang.fang", first_name="芳", last_name="王")
    people = {"title": "库存上升 15 %", "likelihood": "3", "impact": "4"}
    rows = [
        {**people, "category": "运营", "owner": "王芳", "treatment": "降低", "source": "External"},
        {**people, "title": "Cash flow negative", "category": "financial", "owner": "wang.fang"},
        {
            **people,
            "title": "Port strike",
            "category": "Operational",
            "owner": "王芳",
            "next_review_at": "2027/03/31 09:30",
        },
    ]
    api.force_authenticate(risk_officer)
    response = upload(api, _csv(rows), "register.csv")
    assert response.status_code == 200, response.json()
    first = Risk.objects.get(title="库存上升 15 %")
    assert (first.category.key, first.owner.username, first.treatment, first.source) == (
        "operational",
        "wang.fang",
        "mitigate",
        "external",
    )

    port = Risk.objects.get(title="Port strike")
    assert (
        port.next_review_at == dt.datetime(2027, 3, 31, 9, 30, tzinfo=dt.UTC)
        and port.owner.username == "wang.fang"
    )

    wrong = [{**people, "category": "Weather", "owner": "nobody", "treatment": "pray"}]
    response = upload(api, _csv(wrong), "register.csv")
    assert response.status_code == 400
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert "financial (Financial / 财务)" in errors["category"]
    assert "username or a full name" in errors["owner"]
    assert "mitigate (Mitigate)" in errors["treatment"]
    wrong = [{**people, "owner": "wang.fang", "category": "market", "next_review_at": "31 March"}]
    [error] = upload(api, _csv(wrong), "register.csv").json()["errors"]
    assert error["field"] == "next_review_at" and "2026/12/31" in error["message"]
