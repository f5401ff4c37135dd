"""/api/v1/risks/: the contract's fields, field-level errors that change nothing, archive on delete."""

import pytest

from risks.models import Risk, RiskStatus, ScoreChange

pytestmark = pytest.mark.django_db


def create_body(person, **extra):
    body = {
        "title": "Public-opinion crisis after a product complaint",
        "cause": "A defective batch",
        "event": "A complaint goes viral",
        "consequence": "Sales drop and regulators ask questions",
        "category": "reputational",
        "source": "external",
        "owner": person.id,
        "likelihood": 4,
        "impact": 5,
        "residual_likelihood": 2,
        "residual_impact": 4,
        "treatment": "mitigate",
        "reason": "Identified in the quarterly workshop",
    }
    body.update(extra)
    return body


def test_a_risk_officer_creates_a_risk_with_the_contract_fields(api, risk_officer, matrix):
    response = api.as_user(risk_officer).post("/api/v1/risks/", create_body(risk_officer), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["ref"] == "R-0001"
    assert {k: data[k] for k in ["likelihood", "impact", "score", "level"]} == {
        "likelihood": 4,
        "impact": 5,
        "score": 20,
        "level": "critical",
    }
    assert (data["residual_level"], data["above_appetite"]) == ("medium", False)
    assert data["description"] == (
        "A defective batch → A complaint goes viral → Sales drop and regulators ask questions"
    )
    assert data["category"] == "reputational" and data["source"] == "external"
    assert data["owner"] == risk_officer.id and data["playbook"] is None
    assert data["status"] == "open" and data["version"] == 1 and data["matrix_version"] == matrix.version
    assert response["ETag"] == '"1"'
    for field in [
        "id", "title", "residual_likelihood", "residual_impact", "treatment", "next_review_at",
    ]:  # fmt: skip
        assert field in data
    [change] = ScoreChange.objects.filter(risk_id=data["id"])
    assert change.by == risk_officer and change.reason == "Identified in the quarterly workshop"


def test_the_review_date_follows_the_residual_level(api, risk_officer, matrix):
    body = create_body(risk_officer, residual_likelihood=5, residual_impact=5)
    data = api.as_user(risk_officer).post("/api/v1/risks/", body, format="json").json()
    risk = Risk.objects.get(pk=data["id"])
    assert (risk.next_review_at - risk.created_at).days == 29  # critical: 30 days, less a few ms
    assert data["above_appetite"] is True


def test_description_alone_is_accepted_as_the_event(api, risk_officer, matrix):
    body = {k: v for k, v in create_body(risk_officer).items() if k not in {"cause", "event", "consequence"}}
    body["description"] = "Cash flow turns negative"
    data = api.as_user(risk_officer).post("/api/v1/risks/", body, format="json").json()
    assert data["event"] == "Cash flow turns negative" and data["description"] == "Cash flow turns negative"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"likelihood": 6}, "likelihood"),
        ({"impact": 0}, "impact"),
        ({"residual_impact": 9}, "residual_impact"),
        ({"likelihood": "high"}, "likelihood"),
        ({"owner": 424242}, "owner"),
        ({"category": "astrology"}, "category"),
        ({"source": "elsewhere"}, "source"),
        ({"treatment": "ignore"}, "treatment"),
        ({"title": ""}, "title"),
        ({"target_likelihood": 2}, "target_impact"),
        ({"playbook": 99999}, "playbook"),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(api, risk_officer, matrix, change, field):
    response = api.as_user(risk_officer).post(
        "/api/v1/risks/", create_body(risk_officer, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert all(isinstance(message, str) for message in response.json()[field])
    assert not Risk.objects.exists() and not ScoreChange.objects.exists()


def test_an_out_of_scale_rerating_changes_nothing(api, risk_officer, make_risk):
    risk = make_risk()
    response = api.as_user(risk_officer).patch(f"/api/v1/risks/{risk.id}/", {"likelihood": 7}, format="json")
    assert response.status_code == 400 and "likelihood" in response.json()
    risk.refresh_from_db()
    assert (risk.likelihood, risk.version, risk.score_changes.count()) == (3, 1, 1)


def test_rerating_writes_history_with_who_when_why(api, risk_officer, make_risk):
    risk = make_risk()
    response = api.as_user(risk_officer).patch(
        f"/api/v1/risks/{risk.id}/",
        {"residual_likelihood": 1, "residual_impact": 2, "reason": "Backup supplier signed", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["residual_level"] == "low" and response.json()["version"] == 2
    history = api.get(f"/api/v1/risks/{risk.id}/history/").json()["results"]
    latest = history[0]
    assert set(latest) >= {"at", "by", "reason", "from", "to"}
    assert latest["by"] == risk_officer.id and latest["reason"] == "Backup supplier signed"
    assert latest["from"]["residual_level"] == "high" and latest["to"]["residual_level"] == "low"
    assert latest["from"]["residual_likelihood"] == 3 and latest["to"]["residual_likelihood"] == 1
    assert len(history) == 2  # the creation, then the change


def test_a_change_that_leaves_ratings_alone_writes_no_history(api, risk_officer, make_risk):
    risk = make_risk()
    response = api.as_user(risk_officer).patch(
        f"/api/v1/risks/{risk.id}/", {"title": "Renamed"}, format="json"
    )
    assert response.status_code == 200
    assert risk.score_changes.count() == 1


def test_delete_archives_and_nothing_is_destroyed(api, risk_officer, make_risk):
    risk = make_risk()
    client = api.as_user(risk_officer)
    assert client.delete(f"/api/v1/risks/{risk.id}/").status_code == 204
    risk.refresh_from_db()
    assert risk.status == RiskStatus.ARCHIVED
    assert client.get("/api/v1/risks/").json()["count"] == 0
    assert client.get("/api/v1/risks/?status=archived").json()["count"] == 1
    assert client.get(f"/api/v1/risks/{risk.id}/").status_code == 200


def test_closing_an_archived_risk_is_an_illegal_transition(api, risk_officer, make_risk):
    risk = make_risk()
    client = api.as_user(risk_officer)
    client.delete(f"/api/v1/risks/{risk.id}/")
    response = client.patch(f"/api/v1/risks/{risk.id}/", {"status": "closed"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    risk.refresh_from_db()
    assert risk.status == RiskStatus.ARCHIVED


def test_unknown_risk_is_404(api, risk_officer, matrix):
    assert api.as_user(risk_officer).get("/api/v1/risks/999/").status_code == 404
