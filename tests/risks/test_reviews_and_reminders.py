"""Reviews set the next date; overdue reviews and actions tell their owner once; re-rating and re-scoring."""

import datetime as dt

import pytest

from core.errors import InvalidTransition
from notifications.models import Notification
from people.models import Role
from risks import reminders, services
from risks.models import RiskReview
from tests.factories import NOW

pytestmark = pytest.mark.django_db


def test_a_review_sets_the_next_date_from_the_level(api, risk_officer, make_risk):
    risk = make_risk()  # residual 3 × 4: high, 90 days
    response = api.as_user(risk_officer).post(
        f"/api/v1/risks/{risk.id}/review/",
        {"outcome": "unchanged", "looked_at": ["ratings", "actions"], "notes": "Controls hold"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    review = RiskReview.objects.get()
    risk.refresh_from_db()
    assert risk.next_review_at == review.reviewed_at + dt.timedelta(days=90)
    assert (review.reviewed_by, review.notes, risk.version) == (risk_officer, "Controls hold", 2)


def test_a_review_may_set_the_next_date_but_not_in_the_past(api, risk_officer, make_risk):
    risk = make_risk()
    client = api.as_user(risk_officer)
    url = f"/api/v1/risks/{risk.id}/review/"
    looked = {"looked_at": ["ratings"], "notes": "Checked"}
    response = client.post(
        url, {"outcome": "unchanged", "next_review_at": "2020-01-01T00:00:00Z", **looked}, format="json"
    )
    assert response.status_code == 400 and "next_review_at" in response.json()
    response = client.post(url, {"outcome": "maybe", **looked}, format="json")
    assert response.status_code == 400 and "outcome" in response.json()
    assert not RiskReview.objects.exists()
    later = (NOW + dt.timedelta(days=7)).isoformat()
    response = client.post(url, {"outcome": "escalated", "next_review_at": later, **looked}, format="json")
    assert response.status_code == 201
    risk.refresh_from_db()
    assert risk.next_review_at == NOW + dt.timedelta(days=7)


def test_an_overdue_review_tells_the_owner_once_per_overdue_period(make_risk, risk_officer):
    risk = make_risk(next_review_at=NOW + dt.timedelta(days=1))
    assert reminders.reviews_remind_overdue(now=NOW) == 0
    later = NOW + dt.timedelta(days=2)
    assert reminders.reviews_remind_overdue(now=later) == 1
    assert reminders.reviews_remind_overdue(now=later + dt.timedelta(hours=1)) == 0
    [notice] = Notification.objects.filter(recipient=risk.owner)
    assert notice.kind == "risk.review_overdue" and risk.ref in notice.title
    # Reviewed, then overdue again: a new period, a new reminder.
    services.risk_review(
        risk=risk, by=risk_officer, outcome="unchanged", looked_at=["ratings"], notes="Holds", now=later
    )
    much_later = later + dt.timedelta(days=91)
    assert reminders.reviews_remind_overdue(now=much_later) == 1
    assert reminders.reviews_remind_overdue(now=much_later) == 0
    assert Notification.objects.filter(recipient=risk.owner).count() == 2


def test_the_reminder_speaks_the_owners_language(make_risk, make_user):
    owner = make_user(Role.RESPONDER, language="zh-hans")
    make_risk(owner=owner, next_review_at=NOW - dt.timedelta(days=1))
    reminders.reviews_remind_overdue(now=NOW)
    assert Notification.objects.get(recipient=owner).title.startswith("风险复核逾期")


def test_the_reminder_gives_the_due_time_in_the_owners_time_zone_never_as_a_code(make_risk, make_user):
    owner = make_user(Role.RESPONDER, timezone="Asia/Shanghai")
    due = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)
    make_risk(owner=owner, next_review_at=due)
    reminders.reviews_remind_overdue(now=due + dt.timedelta(days=1))
    body = Notification.objects.get(recipient=owner).body
    assert "(Asia/Shanghai)" in body and "9:30" in body and "2026-03-01T" not in body


def test_an_overdue_action_tells_its_owner_once(make_risk, make_user, risk_officer):
    risk = make_risk()
    doer = make_user(Role.RESPONDER)
    action = services.action_create(
        risk=risk,
        by=risk_officer,
        title="Qualify a second supplier",
        owner=doer,
        due_at=NOW + dt.timedelta(hours=1),
        now=NOW,
    )
    assert reminders.actions_remind_overdue(now=NOW) == 0
    assert reminders.actions_remind_overdue(now=NOW + dt.timedelta(hours=2)) == 1
    assert reminders.actions_remind_overdue(now=NOW + dt.timedelta(hours=3)) == 0
    assert Notification.objects.filter(recipient=doer, kind="risk.action_overdue").count() == 1
    action.refresh_from_db()
    assert action.notified_at == NOW + dt.timedelta(hours=2)


def test_a_claimed_reminder_is_not_sent_again(make_risk, risk_officer, make_user):
    """The claim is a conditional UPDATE: a second worker that read the same row sends nothing."""
    risk = make_risk()
    doer = make_user(Role.RESPONDER)
    action = services.action_create(
        risk=risk, by=risk_officer, title="x", owner=doer, due_at=NOW, now=NOW - dt.timedelta(days=1)
    )
    type(action).objects.filter(pk=action.pk).update(notified_at=NOW)  # the other worker won
    assert reminders.actions_remind_overdue(now=NOW + dt.timedelta(hours=1)) == 0
    assert not Notification.objects.exists()


def test_done_actions_are_not_chased(make_risk, risk_officer):
    risk = make_risk()
    action = services.action_create(
        risk=risk, by=risk_officer, title="x", owner=risk_officer, due_at=NOW, now=NOW - dt.timedelta(days=1)
    )
    services.action_set_status(action=action, by=risk_officer, status="done", now=NOW)
    assert reminders.actions_remind_overdue(now=NOW + dt.timedelta(days=1)) == 0
    with pytest.raises(InvalidTransition):
        services.action_set_status(action=action, by=risk_officer, status="cancelled")


def test_action_status_over_the_api(api, risk_officer, make_risk):
    risk = make_risk()
    action = services.action_create(
        risk=risk, by=risk_officer, title="x", owner=risk_officer, due_at=NOW, now=NOW - dt.timedelta(days=1)
    )
    client = api.as_user(risk_officer)
    response = client.patch(f"/api/v1/risk-actions/{action.id}/", {"status": "done"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    response = client.patch(f"/api/v1/risk-actions/{action.id}/", {"status": "cancelled"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_other_apps_rerate_with_a_reason_and_an_incident(make_risk, risk_officer):
    risk = make_risk()
    services.risk_rerate(
        risk=risk, by=risk_officer, reason="Post-incident review", likelihood=5, incident_id=42
    )
    change = risk.score_changes.first()
    assert (change.reason, change.incident_id, change.before["likelihood"], change.after["likelihood"]) == (
        "Post-incident review",
        42,
        3,
        5,
    )
    assert change.after["level"] == "critical"


def test_a_worse_residual_level_brings_the_review_forward(make_risk, risk_officer):
    risk = make_risk(residual_likelihood=1, residual_impact=1, now=NOW)  # low: 365 days
    risk = services.risk_rerate(
        risk=risk, by=risk_officer, reason="KRI red", residual_likelihood=5, residual_impact=5, now=NOW
    )
    assert risk.next_review_at == NOW + dt.timedelta(days=30)


def test_a_new_matrix_version_keeps_old_scores_until_rescored(api, risk_officer, make_risk, matrix):
    risk = make_risk(likelihood=2, impact=2)  # low on v1
    grid = [["high"] * 5 for _ in range(5)]
    services.matrix_revise(
        by=risk_officer, likelihood=matrix.likelihood, impact=matrix.impact, levels=matrix.levels, grid=grid,
        appetite="medium",
    )  # fmt: skip
    client = api.as_user(risk_officer)
    data = client.get(f"/api/v1/risks/{risk.id}/").json()
    assert (data["matrix_version"], data["level"]) == (1, "low")
    assert client.post(f"/api/v1/risks/{risk.id}/rescore/", {}, format="json").status_code == 400  # a reason
    response = client.post(
        f"/api/v1/risks/{risk.id}/rescore/", {"reason": "Matrix v2 adopted"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["matrix_version"], response.json()["level"]) == (2, "high")
    change = risk.score_changes.first()
    assert (change.before["matrix_version"], change.after["matrix_version"]) == (1, 2)
    again = client.post(f"/api/v1/risks/{risk.id}/rescore/", {"reason": "again"}, format="json")
    assert again.status_code == 409


def test_a_matrix_with_a_broken_grid_is_refused(matrix):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.matrix_revise(
            by=None, likelihood=matrix.likelihood, impact=matrix.impact, levels=matrix.levels, grid=[["low"]],
            appetite="nope",
        )  # fmt: skip
    assert set(error.value.message_dict) == {"grid", "appetite"}
