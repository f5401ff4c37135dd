"""A drill's review never changes the register: it proposes; a risk officer applies, with a reason."""

import pytest

from audit.models import AuditEntry
from incidents import services as incidents
from reviews.models import RiskRating
from risks.models import Risk, ScoreChange
from tests.factories import H, fire_due, plant_fire

pytestmark = pytest.mark.django_db


def review_url(incident, suffix=""):
    return f"/api/v1/incidents/{incident.pk}/review/{suffix}"


def register_now() -> list[dict]:
    """Every risk, every column, with its history and audit entries counted."""
    return [
        *Risk.objects.order_by("pk").values(),
        ScoreChange.objects.count(),
        AuditEntry.objects.filter(object_type="risks.risk").count(),
    ]


@pytest.fixture
def drill(playbook, cast, declared_at, risk):
    """The supply-chain plan run as a drill at clock rate 3600, linked to the real risk."""
    return plant_fire(cast, playbook, declared_at, risks=[risk], drill=True, clock_rate=3600)


def run_to_a_completed_review(api, cast, drill, risk, declared_at):
    """Every timer of the drill fired (100 plan hours: every tier, every escalation), resolved,
    its review completed deciding to re-rate the risk to critical."""
    fire_due(declared_at + 100 * H / 3600)
    incidents.incident_resolve(incident_id=drill.pk, by=cast["commander"], now=declared_at + 200 * H / 3600)
    client = api.as_user(cast["commander"])
    rating = {"risk": risk.pk, "decision": "rerate", "likelihood": 5, "impact": 5, "note": "Too thin."}
    patch = client.patch(
        review_url(drill),
        {"summary": "Drill ran.", "root_cause": "Single supplier.", "ratings": [rating]},
        format="json",
    )
    assert patch.status_code == 200, patch.json()
    completed = client.post(review_url(drill, "complete/"))
    assert completed.status_code == 200, completed.json()
    return completed.json()


def test_a_drill_run_to_its_review_leaves_every_risk_as_it_was(api, cast, drill, risk, declared_at):
    before = register_now()
    review = run_to_a_completed_review(api, cast, drill, risk, declared_at)
    assert register_now() == before
    [rating] = review["ratings"]
    assert rating["proposed_by_drill"] == drill.pk and rating["applied_at"] is None
    assert drill.timeline.get(type="review.completed").data == {"proposed": [risk.pk]}


def test_a_real_incident_review_still_rerates(api, cast, resolved, risk):
    client = api.as_user(cast["commander"])
    rating = {"risk": risk.pk, "decision": "rerate", "likelihood": 5, "impact": 5, "note": "Too thin."}
    client.patch(
        review_url(resolved), {"summary": "s", "root_cause": "r", "ratings": [rating]}, format="json"
    )
    response = client.post(review_url(resolved, "complete/"))
    assert response.json()["ratings"][0]["proposed_by_drill"] is None
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (5, 5)


def test_a_risk_officer_applies_one_proposal_with_a_reason_once(api, cast, drill, risk, declared_at):
    run_to_a_completed_review(api, cast, drill, risk, declared_at)
    url = review_url(drill, f"ratings/{risk.pk}/apply/")
    client = api.as_user(cast["officer"])
    before = register_now()

    missing = client.post(url, {"reason": "  "}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    assert register_now() == before

    applied = client.post(url, {"reason": "The drill showed the backup pool is too thin."}, format="json")
    assert applied.status_code == 200, applied.json()
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (5, 5)
    change = ScoreChange.objects.filter(risk=risk).latest("pk")
    assert change.reason == "The drill showed the backup pool is too thin."
    rating = RiskRating.objects.get(review__incident=drill, risk=risk)
    assert rating.applied_by == cast["officer"] and rating.applied_reason.startswith("The drill")

    after_applying = register_now()
    again = client.post(url, {"reason": "Once more."}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert register_now() == after_applying


def test_only_risk_officers_and_admins_apply_and_a_kept_risk_has_nothing_to_apply(
    api, cast, drill, risk, declared_at
):
    run_to_a_completed_review(api, cast, drill, risk, declared_at)
    url = review_url(drill, f"ratings/{risk.pk}/apply/")
    for who in ("commander", "ceo"):
        response = api.as_user(cast[who]).post(url, {"reason": "Why not."}, format="json")
        assert response.status_code == 403
    unlinked = api.as_user(cast["admin"]).post(
        review_url(drill, f"ratings/{risk.pk + 999}/apply/"), {"reason": "x"}, format="json"
    )
    assert unlinked.status_code == 400 and "risk" in unlinked.json()


def test_a_real_incidents_review_has_no_proposal_to_apply(api, cast, resolved, risk):
    client = api.as_user(cast["commander"])
    client.patch(
        review_url(resolved),
        {"summary": "s", "root_cause": "r", "ratings": [{"risk": risk.pk, "decision": "keep"}]},
        format="json",
    )
    client.post(review_url(resolved, "complete/"))
    response = api.as_user(cast["officer"]).post(
        review_url(resolved, f"ratings/{risk.pk}/apply/"), {"reason": "x"}, format="json"
    )
    assert response.status_code == 409


def test_the_pages_show_the_proposal_and_a_risk_officer_applies_it_there(
    client, api, cast, drill, risk, declared_at
):
    run_to_a_completed_review(api, cast, drill, risk, declared_at)
    page = f"/incidents/{drill.pk}/review/"
    client.force_login(cast["commander"])
    shown = client.get(page).content.decode()
    assert f"Proposed by drill #{drill.pk}" in shown and 'name="apply_proposal"' not in shown
    assert f"Proposed by drill #{drill.pk}" in client.get(f"/risks/{risk.pk}/").content.decode()

    client.force_login(cast["officer"])
    assert 'name="apply_proposal"' in client.get(page).content.decode()
    refused = client.post(page, {"apply_proposal": "", "risk": risk.pk, "reason": ""})
    assert refused.status_code == 400 and "Say why this proposal" in refused.content.decode()
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (3, 4)

    applied = client.post(page, {"apply_proposal": "", "risk": risk.pk, "reason": "Backup pool too thin."})
    assert applied.status_code == 302
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (5, 5)
    assert "Applied to the register by" in client.get(page).content.decode()
    assert f"Proposed by drill #{drill.pk}" not in client.get(f"/risks/{risk.pk}/").content.decode()

    client.force_login(cast["commander"])
    assert client.post(page, {"apply_proposal": "", "risk": risk.pk, "reason": "x"}).status_code == 403
