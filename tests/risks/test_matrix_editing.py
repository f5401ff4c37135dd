"""A new version of the matrix from its editor: the service (next version, audit entry, refusals),
the pages per role, the preview step, and what a refused or stale save leaves (nothing)."""

import copy

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from core.errors import Conflict
from people.models import Role
from risks import services
from risks.matrix_editor import MatrixForm
from risks.models import RiskMatrix

pytestmark = pytest.mark.django_db


def parts(matrix: RiskMatrix, **changes) -> dict:
    values = {
        name: copy.deepcopy(getattr(matrix, name)) for name in ("likelihood", "impact", "levels", "grid")
    }
    return {**values, "appetite": matrix.appetite, **changes}


def editor_data(matrix: RiskMatrix, **changes) -> dict:
    """What the editor posts, untouched: the active version's values."""
    form = MatrixForm(matrix=matrix)
    return {**{name: form[name].value() for name in form.fields}, **changes}


def test_a_revision_is_the_next_version_with_its_audit_entry(matrix, risk_officer, make_risk):
    risk = make_risk(likelihood=3, impact=4)
    levels = parts(matrix)["levels"]
    levels[2].update(label_en="Significant", color="#7b1fa2", review_interval_days=60)
    revised = services.matrix_revise(by=risk_officer, based_on=1, **parts(matrix, levels=levels))
    assert (revised.version, revised.created_by) == (2, risk_officer)
    assert revised.level("high")["label_en"] == "Significant"
    entry = AuditEntry.objects.get(object_type="risks.riskmatrix", object_id=str(revised.pk))
    assert (entry.actor, entry.action) == (risk_officer, "created")
    risk.refresh_from_db()
    assert risk.matrix.version == 1  # scores keep the version they were made on


@pytest.mark.parametrize(
    "change, part",
    [
        (lambda p: p["levels"][0].update(color="green"), "levels"),
        (lambda p: p["levels"][1].update(label_zh=" "), "levels"),
        (lambda p: p["levels"][3].update(review_interval_days=0), "levels"),
        (lambda p: p["levels"].reverse(), "levels"),
        (lambda p: p["likelihood"][0].update(label_en=""), "likelihood"),
        (lambda p: p["grid"][4].__setitem__(4, "low"), "grid"),  # 5 × 5 below 5 × 4
        (lambda p: p.update(appetite="extreme"), "appetite"),
    ],
)
def test_an_unsound_matrix_is_refused_and_nothing_written(matrix, risk_officer, change, part):
    proposed = parts(matrix)
    change(proposed)
    with pytest.raises(ValidationError) as refused:
        services.matrix_revise(by=risk_officer, based_on=1, **proposed)
    assert part in refused.value.message_dict
    assert RiskMatrix.objects.count() == 1
    assert not AuditEntry.objects.filter(object_type="risks.riskmatrix", actor=risk_officer).exists()


def test_a_save_based_on_an_older_version_is_a_conflict(matrix, risk_officer, make_user):
    other = make_user(Role.RISK_OFFICER, username="other.officer")
    services.matrix_revise(by=other, based_on=1, **parts(matrix))
    with pytest.raises(Conflict) as conflict:
        services.matrix_revise(by=risk_officer, based_on=1, **parts(matrix, appetite="high"))
    assert "v2" in conflict.value.detail and "other.officer" in conflict.value.detail
    assert list(RiskMatrix.objects.values_list("version", "appetite")) == [(2, "medium"), (1, "medium")]


@pytest.mark.parametrize(
    "role, status",
    [(Role.RISK_OFFICER, 200), (Role.ADMIN, 200), (Role.EXECUTIVE, 403), (Role.RESPONDER, 403)],
)
def test_everyone_reads_the_matrix_and_register_writers_edit_it(client, matrix, make_user, role, status):
    client.force_login(make_user(role))
    assert 'href="/risks/matrix/"' in client.get("/risks/").content.decode()  # from the register
    page = client.get("/risks/matrix/")
    assert page.status_code == 200
    assert ("/risks/matrix/new/" in page.content.decode()) == (status == 200)
    assert client.get("/risks/matrix/new/").status_code == status
    assert client.post("/risks/matrix/new/", editor_data(matrix, save="1")).status_code in {status, 302}
    assert RiskMatrix.objects.count() == (2 if status == 200 else 1)


def test_an_earlier_version_is_shown_read_only(client, matrix, risk_officer, executive):
    services.matrix_revise(by=risk_officer, based_on=1, **parts(matrix, appetite="high"))
    client.force_login(executive)
    page = client.get("/risks/matrix/v1/").content.decode()
    assert "Version 1 is no longer active: v2 is." in page and "<form" not in page.split("<main>")[1]
    assert client.get("/risks/matrix/v9/").status_code == 404


def test_preview_then_save_makes_the_next_version(client, matrix, risk_officer):
    client.force_login(risk_officer)
    data = editor_data(matrix, level_high_en="Significant", level_high_color="#7B1FA2", grid_3_3="high")
    previewed = client.post("/risks/matrix/new/", {**data, "preview": "1"})
    assert previewed.status_code == 200 and RiskMatrix.objects.count() == 1
    page = previewed.content.decode()
    assert (
        "Save as version 2" in page and 'data-color="#7b1fa2"' in page and 'data-level="Significant"' in page
    )
    saved = client.post("/risks/matrix/new/", {**data, "save": "1"})
    assert (saved.status_code, saved["Location"]) == (302, "/risks/matrix/")
    active = RiskMatrix.objects.first()
    assert (active.version, active.level_of(3, 3), active.level("high")["color"]) == (2, "high", "#7b1fa2")


def test_what_is_wrong_is_said_next_to_the_field_and_nothing_saved(client, matrix, risk_officer):
    risk_officer.language = "zh-hans"
    risk_officer.save(update_fields=["language"])
    client.force_login(risk_officer)
    data = editor_data(
        matrix, impact_2_zh="", level_low_color="green", level_critical_review="0", grid_5_5="low", save="1"
    )
    refused = client.post("/risks/matrix/new/", data)
    assert refused.status_code == 400 and RiskMatrix.objects.count() == 1
    form = refused.context["form"]
    assert set(form.errors) == {"impact_2_zh", "level_low_color", "level_critical_review"}
    assert "#rrggbb" in form.errors["level_low_color"][0]
    assert "保存" in refused.content.decode()  # the page speaks the officer's language
    # Every field right but the grid: the cell that falls below its neighbour is named.
    refused = client.post("/risks/matrix/new/", editor_data(matrix, grid_5_5="low", save="1"))
    assert list(refused.context["form"].errors) == ["grid_5_5"]
    assert "低于可能性 4 × 影响 5" in refused.context["form"].errors["grid_5_5"][0]


def test_a_stale_save_keeps_what_was_typed_and_saves_nothing(client, matrix, risk_officer, make_user):
    services.matrix_revise(
        by=make_user(Role.RISK_OFFICER, username="other.officer"), based_on=1, **parts(matrix)
    )
    client.force_login(risk_officer)
    response = client.post(
        "/risks/matrix/new/", editor_data(matrix, level_high_en="Significant", based_on="1", save="1")
    )
    assert response.status_code == 409 and RiskMatrix.objects.count() == 2
    page = response.content.decode()
    assert "other.officer saved matrix v2" in page and 'value="Significant"' in page
    assert "Save as version 3" in page
