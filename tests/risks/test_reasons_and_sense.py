"""Every change of ratings has its reason and its source; reviews are real; dates make sense;
a new risk is "not rated" until someone rates it. Each rule on every path: service, API, page."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from people.models import Role
from risks import services
from risks.checks import MAX_YEARS_AHEAD
from risks.models import ChangeSource, Risk, RiskReview, ScoreChange, TreatmentAction
from tests.factories import NOW

pytestmark = pytest.mark.django_db

FAR = NOW + dt.timedelta(days=366 * MAX_YEARS_AHEAD + 1)


def risk_url(risk, tail=""):
    return f"/api/v1/risks/{risk.id}/{tail}"


def snapshot_of(risk):
    """What must not move when a write is refused."""
    risk.refresh_from_db()
    return (
        risk.version,
        risk.likelihood,
        risk.residual_likelihood,
        risk.next_review_at,
        risk.score_changes.count(),
        RiskReview.objects.count(),
        AuditEntry.objects.count(),
    )


# A change of ratings needs a reason -----------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_an_api_rerating_without_a_reason_is_a_field_error_and_writes_nothing(
    api, risk_officer, make_risk, reason
):
    risk = make_risk()
    before = snapshot_of(risk)
    body = {"residual_likelihood": 1, "residual_impact": 1, **({} if reason is None else {"reason": reason})}
    response = api.as_user(risk_officer).patch(risk_url(risk), body, format="json")
    assert response.status_code == 400 and set(response.json()) == {"reason"}
    assert snapshot_of(risk) == before


def test_an_api_rerating_keeps_the_reason_as_written_and_its_source(api, risk_officer, make_risk):
    risk = make_risk()
    reason = "  Backup supplier signed · 已签备用供应商  "
    response = api.as_user(risk_officer).patch(
        risk_url(risk), {"residual_likelihood": 1, "residual_impact": 2, "reason": reason}, format="json"
    )
    assert response.status_code == 200
    [entry] = api.get(risk_url(risk, "history/")).json()["results"][:1]
    assert (entry["reason"], entry["source"]) == (reason.strip(), "api")


def test_a_change_that_leaves_the_ratings_needs_no_reason(api, risk_officer, make_risk):
    risk = make_risk()
    response = api.as_user(risk_officer).patch(
        risk_url(risk), {"title": "Renamed", "likelihood": risk.likelihood}, format="json"
    )
    assert response.status_code == 200 and risk.score_changes.count() == 1


def test_the_page_refuses_a_rerating_without_a_reason_next_to_the_field(client, risk_officer, make_risk):
    from tests.risks.test_pages import form_data

    risk = make_risk()
    before = snapshot_of(risk)
    client.force_login(risk_officer)
    response = client.post(f"/risks/{risk.pk}/edit/", form_data(risk, likelihood=5))
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Say why the ratings change."]}
    assert snapshot_of(risk) == before
    response = client.post(f"/risks/{risk.pk}/edit/", form_data(risk, likelihood=5, reason="Plant fire"))
    assert response.status_code == 302
    change = risk.score_changes.first()
    assert (change.reason, change.source, change.after["likelihood"]) == ("Plant fire", "page", 5)


def test_other_apps_cannot_rerate_without_a_reason(make_risk, risk_officer):
    risk = make_risk()
    with pytest.raises(services.ValidationError) as refused:
        services.risk_rerate(risk=risk, by=risk_officer, reason="", likelihood=5, incident_id=3)
    assert set(refused.value.message_dict) == {"reason"}
    risk.refresh_from_db()
    assert risk.likelihood == 3 and risk.score_changes.count() == 1


# Reviews --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"outcome": "unchanged"}, {"looked_at", "notes"}),
        ({"outcome": "unchanged", "looked_at": ["ratings"], "notes": "  "}, {"notes"}),
        ({"outcome": "escalated", "notes": "Worse"}, {"looked_at"}),
        ({"outcome": "rerated", "looked_at": ["ratings"], "notes": "Better"}, {"outcome"}),
        (
            {"outcome": "unchanged", "looked_at": ["ratings"], "notes": "Same", "residual_likelihood": 1},
            {"outcome"},
        ),
        ({"outcome": "unchanged", "looked_at": ["gut feeling"], "notes": "x"}, {"looked_at"}),
    ],
)
def test_an_empty_or_inconsistent_review_is_refused_and_moves_nothing(
    api, risk_officer, make_risk, body, fields
):
    risk = make_risk(next_review_at=NOW - dt.timedelta(days=1))
    before = snapshot_of(risk)
    response = api.as_user(risk_officer).post(risk_url(risk, "review/"), body, format="json")
    assert response.status_code == 400 and set(response.json()) == fields, response.json()
    assert snapshot_of(risk) == before  # the next review date did not move
    assert risk.review_overdue(NOW)


def test_a_review_that_rerates_keeps_its_note_as_the_reason_and_itself_as_the_source(
    api, risk_officer, make_risk
):
    risk = make_risk()  # 3 × 4, residual the same
    note = "Second supplier qualified · 第二供应商已认证"
    response = api.as_user(risk_officer).post(
        risk_url(risk, "review/"),
        {
            "outcome": "rerated",
            "looked_at": ["actions", "ratings"],
            "notes": note,
            "residual_likelihood": 2,
            "residual_impact": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["looked_at"] == ["ratings", "actions"]
    review = RiskReview.objects.get()
    change = risk.score_changes.first()
    assert (change.reason, change.source, change.review, change.by) == (
        note,
        ChangeSource.RISK_REVIEW,
        review,
        risk_officer,
    )
    assert (review.reviewed_by, review.looked_at, review.notes) == (
        risk_officer,
        ["ratings", "actions"],
        note,
    )
    history = api.get(risk_url(risk, "history/")).json()["results"][0]
    assert (history["source"], history["review"], history["reason"]) == ("risk_review", review.pk, note)


def test_an_escalated_review_tells_the_executives_and_the_owner_in_their_languages(
    make_risk, make_user, risk_officer
):
    owner = make_user(Role.RESPONDER, language="zh-hans")
    executive, other_executive = make_user(Role.EXECUTIVE), make_user(Role.EXECUTIVE, language="zh-hans")
    bystander = make_user(Role.RESPONDER)
    risk = make_risk(owner=owner)
    services.risk_review(
        risk=risk,
        by=risk_officer,
        outcome="escalated",
        looked_at=["indicators"],
        notes="Cash runway under 60 days",
        now=NOW,
    )
    told = {n.recipient: n for n in Notification.objects.filter(kind="risk.escalated")}
    assert set(told) == {owner, executive, other_executive} and bystander not in told
    assert told[executive].title.startswith("Risk escalated: R-0001")
    assert told[owner].title.startswith("风险已升级") and "Cash runway under 60 days" in told[owner].body
    assert told[owner].url == f"/risks/{risk.pk}/"


def test_a_review_that_is_not_escalated_tells_no_one(make_risk, risk_officer, executive):
    services.risk_review(
        risk=make_risk(), by=risk_officer, outcome="unchanged", looked_at=["ratings"], notes="Holds", now=NOW
    )
    assert not Notification.objects.filter(kind="risk.escalated").exists()


def test_the_page_refuses_an_empty_review_next_to_its_fields(client, risk_officer, make_risk):
    risk = make_risk(next_review_at=NOW - dt.timedelta(days=1))
    before = snapshot_of(risk)
    client.force_login(risk_officer)
    response = client.post(f"/risks/{risk.pk}/review/", {"outcome": "unchanged"})
    assert response.status_code == 400
    errors = response.context["review_form"].errors
    assert set(errors) == {"looked_at", "notes"} and errors["notes"] == ["Say why nothing changes."]
    assert snapshot_of(risk) == before and "Review overdue" in response.content.decode()


# Dates make sense -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "message"),
    [("1900-01-01T00:00:00Z", "in the past"), (FAR.isoformat(), f"more than {MAX_YEARS_AHEAD} years")],
    ids=["past", "centuries-away"],
)
def test_absurd_dates_are_field_errors_on_every_api_path(api, risk_officer, make_risk, moment, message):
    risk = make_risk()
    before = snapshot_of(risk)
    client = api.as_user(risk_officer)
    review = {"outcome": "unchanged", "looked_at": ["ratings"], "notes": "ok", "next_review_at": moment}
    action = {"title": "Second supplier", "owner": risk_officer.id, "due_at": moment}
    create = {"title": "New", "category": "financial", "owner": risk_officer.id, "next_review_at": moment}
    for method, url, body, field in [
        ("patch", risk_url(risk), {"next_review_at": moment}, "next_review_at"),
        ("post", risk_url(risk, "review/"), review, "next_review_at"),
        ("post", risk_url(risk, "actions/"), action, "due_at"),
        ("post", "/api/v1/risks/", create, "next_review_at"),
    ]:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 400, (url, response.json())
        assert list(response.json()) == [field] and message in response.json()[field][0]
    assert snapshot_of(risk) == before
    assert Risk.objects.count() == 1 and not TreatmentAction.objects.exists()


def test_an_absurd_due_date_on_the_page_is_shown_next_to_the_field(client, risk_officer, make_risk):
    risk = make_risk()
    client.force_login(risk_officer)
    response = client.post(
        f"/risks/{risk.pk}/actions/", {"title": "Old", "owner": risk_officer.pk, "due_at": "1999-01-01T09:00"}
    )
    assert response.status_code == 400 and list(response.context["action_form"].errors) == ["due_at"]
    assert not TreatmentAction.objects.exists()


def test_a_review_date_already_past_may_stay_when_other_fields_change(api, risk_officer, make_risk):
    risk = make_risk(next_review_at=NOW - dt.timedelta(days=2))
    response = api.as_user(risk_officer).patch(
        risk_url(risk), {"title": "Renamed", "next_review_at": risk.next_review_at.isoformat()}, format="json"
    )
    assert response.status_code == 200


# Not rated until someone rates it ----------------------------------------------------------------


def test_a_new_risk_without_ratings_is_not_rated_everywhere(api, client, risk_officer, matrix):
    response = api.as_user(risk_officer).post(
        "/api/v1/risks/",
        {"title": "Unknown yet", "category": "financial", "owner": risk_officer.id},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["rated"] is False
    assert [data[key] for key in ("likelihood", "impact", "score", "level", "residual_level")] == [None] * 5
    assert data["above_appetite"] is False
    risk = Risk.objects.get()
    # Reviewed soon, at the matrix's shortest interval, so that someone rates it.
    assert risk.next_review_at - risk.created_at < dt.timedelta(days=31)
    heat = api.get("/api/v1/risks/heatmap/").json()
    assert (heat["total"], heat["not_rated"], sum(cell["count"] for cell in heat["cells"])) == (0, 1, 0)
    listed = api.get("/api/v1/risks/?level=not_rated").json()["results"]
    assert [row["ref"] for row in listed] == [risk.ref]
    client.force_login(risk_officer)
    assert "Not rated" in client.get("/risks/").content.decode()
    assert "Not rated" in client.get(f"/risks/{risk.pk}/").content.decode()
    assert "1 open risk is not rated yet" in client.get("/risks/heatmap/").content.decode()


def test_rating_a_risk_not_rated_yet_needs_a_reason_and_gives_its_residual(api, risk_officer, matrix):
    risk = services.risk_create(
        by=risk_officer, title="x", category=matrix_category(), owner=risk_officer, now=NOW
    )
    client = api.as_user(risk_officer)
    assert client.patch(risk_url(risk), {"likelihood": 4, "impact": 4}, format="json").status_code == 400
    response = client.patch(
        risk_url(risk), {"likelihood": 4, "impact": 4, "reason": "Workshop"}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["rated"], data["level"], data["residual_likelihood"], data["residual_level"]) == (
        True,
        "high",
        4,
        "high",
    )
    change = ScoreChange.objects.filter(risk=risk).first()
    assert change.before["likelihood"] is None and change.after["likelihood"] == 4


def test_half_a_rating_is_refused(api, risk_officer, matrix):
    response = api.as_user(risk_officer).post(
        "/api/v1/risks/",
        {"title": "x", "category": "financial", "owner": risk_officer.id, "likelihood": 3},
        format="json",
    )
    assert response.status_code == 400 and "impact" in response.json()


def matrix_category():
    from risks.models import Category

    return Category.objects.get(key="financial")
