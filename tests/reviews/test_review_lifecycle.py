"""A review opens on resolve; the incident closes only once it is completed or waived."""

import pytest
from django.core.exceptions import ValidationError

from core.errors import InvalidTransition
from incidents import services as incidents
from incidents.models import IncidentStatus
from reviews import services
from reviews.models import RatingDecision, Review, ReviewStatus
from risks.models import ScoreChange
from tests.factories import H


def review_url(incident, suffix=""):
    return f"/api/v1/incidents/{incident.pk}/review/{suffix}"


def test_resolving_opens_a_review_with_a_row_per_linked_risk(resolved, risk, declared_at):
    review = Review.objects.get(incident=resolved)
    assert review.status == ReviewStatus.OPEN and review.opened_at == declared_at + 3 * H
    assert list(review.ratings.values_list("risk_id", "decision")) == [(risk.pk, RatingDecision.UNDECIDED)]


def test_an_active_incident_has_no_review_yet(api, cast, incident):
    assert not Review.objects.exists()
    assert api.as_user(cast["commander"]).get(review_url(incident)).status_code == 404


def test_close_is_refused_without_a_completed_review_and_nothing_is_written(api, cast, resolved):
    last_seq = resolved.last_seq
    response = api.as_user(cast["commander"]).post(f"/api/v1/incidents/{resolved.pk}/close/")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    resolved.refresh_from_db()
    assert resolved.status == IncidentStatus.RESOLVED and resolved.closed_at is None
    assert resolved.last_seq == last_seq and resolved.timeline.count() == last_seq


def complete_review(client, incident, risk, **ratings):
    patch = client.patch(
        review_url(incident),
        {
            "summary": "The plant burned; the backup pool covered 80 % within 5 h.",
            "root_cause": "One supplier for the top 20 % items.",
            "whys": ["Stock ran out", "One supplier", "Cheapest bid", "No diversification KPI"],
            "ratings": [{"risk": risk.pk, **(ratings or {"decision": "keep"})}],
        },
        format="json",
    )
    assert patch.status_code == 200, patch.json()
    return client.post(review_url(incident, "complete/"))


def test_a_completed_review_lets_the_commander_close(api, cast, resolved, risk):
    client = api.as_user(cast["commander"])
    response = complete_review(client, resolved, risk)
    assert response.status_code == 200 and response.json()["status"] == "completed"
    assert resolved.timeline.filter(type="review.completed", actor=cast["commander"]).count() == 1
    assert client.post(f"/api/v1/incidents/{resolved.pk}/close/").json()["status"] == "closed"


def test_completing_requires_summary_root_cause_and_a_decision_per_risk(api, cast, resolved, risk):
    response = api.as_user(cast["commander"]).post(review_url(resolved, "complete/"))
    assert response.status_code == 400
    assert set(response.json()) == {"summary", "root_cause", "ratings"}
    assert risk.ref in response.json()["ratings"][0]
    assert Review.objects.get(incident=resolved).status == ReviewStatus.OPEN
    assert not resolved.timeline.filter(type="review.completed").exists()


def test_re_rating_writes_risk_history_with_the_reason_as_written_and_the_incident(api, cast, resolved, risk):
    note = "The plant fire showed one supplier is not enough · 工厂火灾表明单一供应商不够"
    response = complete_review(
        api.as_user(cast["officer"]),
        resolved,
        risk,
        decision="rerate",
        likelihood=5,
        residual_likelihood=4,
        note=note,
    )
    assert response.status_code == 200
    change = ScoreChange.objects.get(risk=risk, incident_id=resolved.pk)
    assert change.incident_id == resolved.pk and change.by == cast["officer"]
    assert (change.reason, change.source) == (note, "incident_review")
    assert change.after["likelihood"] == 5 and change.after["residual_likelihood"] == 4
    risk.refresh_from_db()
    assert risk.likelihood == 5


def test_a_rating_outside_the_matrix_is_a_400_and_nothing_changes(api, cast, resolved, risk):
    client = api.as_user(cast["commander"])
    response = client.patch(
        review_url(resolved),
        {"summary": "changed", "ratings": [{"risk": risk.pk, "decision": "rerate", "likelihood": 9}]},
        format="json",
    )
    assert response.status_code == 400 and "ratings" in response.json()
    review = Review.objects.get(incident=resolved)
    assert review.summary == "" and review.ratings.get().decision == RatingDecision.UNDECIDED


def test_rerate_without_a_reason_is_refused_at_completion(api, cast, resolved, risk):
    client = api.as_user(cast["commander"])
    response = complete_review(client, resolved, risk, decision="rerate", likelihood=5)
    assert response.status_code == 400 and risk.ref in " ".join(response.json()["ratings"])
    assert not ScoreChange.objects.filter(risk=risk, incident_id=resolved.pk).exists()


def test_rerate_without_values_is_refused_at_completion(api, cast, resolved, risk):
    response = complete_review(api.as_user(cast["commander"]), resolved, risk, decision="rerate")
    assert response.status_code == 400 and "ratings" in response.json()
    assert not ScoreChange.objects.filter(risk=risk, incident_id=resolved.pk).exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"whys": ["1", "2", "3", "4", "5", "6"]}, "whys"),
        ({"pinned": [999]}, "pinned"),
        ({"pinned": ["first"]}, "pinned"),
        ({"ratings": [{"risk": 0, "decision": "keep"}]}, "ratings"),
        ({"ratings": [{"risk": 1, "decision": "maybe"}]}, "ratings"),
    ],
)
def test_bad_edits_are_field_level_400s_that_write_nothing(api, cast, resolved, body, field):
    response = api.as_user(cast["commander"]).patch(
        review_url(resolved), {"summary": "should not stick", **body}, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    review = Review.objects.get(incident=resolved)
    assert review.summary == "" and review.whys == [] and not review.pinned.exists()


def test_pinned_entries_are_named_by_seq(api, cast, resolved):
    client = api.as_user(cast["commander"])
    response = client.patch(review_url(resolved), {"pinned": [1, resolved.last_seq]}, format="json")
    assert [entry["seq"] for entry in response.json()["pinned"]] == [1, resolved.last_seq]
    assert response.json()["pinned"][0]["type"] == "incident.declared"


def test_an_admin_waiver_lets_the_incident_close_and_is_on_the_timeline(api, cast, resolved):
    admin = api.as_user(cast["admin"])
    assert admin.post(review_url(resolved, "waive/"), {"reason": ""}, format="json").status_code == 400
    response = admin.post(review_url(resolved, "waive/"), {"reason": "Duplicate of #12"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "waived"
    entry = resolved.timeline.get(type="review.waived")
    assert entry.actor == cast["admin"] and entry.data == {"reason": "Duplicate of #12"}
    assert api.as_user(cast["commander"]).post(f"/api/v1/incidents/{resolved.pk}/close/").status_code == 200


@pytest.mark.parametrize("who", ["commander", "officer", "ceo"])
def test_only_admins_waive(api, cast, resolved, who):
    response = api.as_user(cast[who]).post(review_url(resolved, "waive/"), {"reason": "x"}, format="json")
    assert response.status_code == 403
    assert Review.objects.get(incident=resolved).status == ReviewStatus.OPEN


def test_a_completed_review_no_longer_changes(api, cast, resolved, risk):
    client = api.as_user(cast["commander"])
    complete_review(client, resolved, risk)
    assert client.patch(review_url(resolved), {"summary": "later"}, format="json").status_code == 409
    assert client.post(review_url(resolved, "complete/")).status_code == 409
    with pytest.raises(InvalidTransition):
        services.review_waive(incident_id=resolved.pk, by=cast["admin"], reason="late")


def test_closing_through_the_service_without_a_review_raises(cast, resolved):
    with pytest.raises(InvalidTransition):
        incidents.incident_close(incident_id=resolved.pk, by=cast["commander"])
    with pytest.raises(ValidationError):
        services.review_waive(incident_id=resolved.pk, by=cast["admin"], reason="  ")
