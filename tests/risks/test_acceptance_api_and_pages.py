"""Acceptances through the API and the risk's page; the register's acceptance filter; appetite per
category in the register and on its page."""

import datetime as dt

import pytest

from people.models import Role
from risks import services
from risks.models import Acceptance, Category
from tests.factories import NOW

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def body(**values):
    return {
        "justification": "Treating it would cost more than the loss it could bring.",
        "conditions": "The backup supplier contract stays signed.",
        "expires_at": (NOW + 60 * DAY).isoformat(),
        **values,
    }


def test_asked_through_the_api_then_approved_by_an_executive(api, make_risk, make_user):
    risk = make_risk()
    url = f"/api/v1/risks/{risk.id}/acceptances/"
    response = api.as_user(risk.owner).post(url, body(expires_at="2020-01-01T00:00:00Z"), format="json")
    assert response.status_code == 400 and list(response.json()) == ["expires_at"]
    response = api.post(url, body(), format="json")
    assert response.status_code == 201, response.json()
    asked = response.json()
    assert (asked["state"], asked["requested_by"]) == ("requested", risk.owner.pk)
    assert api.post(url, body(), format="json").status_code == 409  # one at a time

    approve = f"{url}{asked['id']}/approve/"
    assert api.post(approve, {}, format="json").status_code == 403  # the asker
    ceo = make_user(Role.EXECUTIVE)
    response = api.as_user(ceo).post(approve, {"note": "Within budget"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["decided_by"]) == ("approved", ceo.pk)
    assert api.post(approve, {}, format="json").status_code == 409  # decided already
    risk_read = api.get(f"/api/v1/risks/{risk.id}/").json()
    assert (risk_read["treatment"], risk_read["treatment_reopened_at"]) == ("accept", None)
    assert [item["state"] for item in api.get(url).json()] == ["approved"]
    assert api.get("/api/v1/risks/?acceptance=approved").json()["count"] == 1
    assert api.get("/api/v1/risks/?acceptance=requested").json()["count"] == 0
    assert api.get("/api/v1/risks/?acceptance=maybe").status_code == 400


def test_declined_through_the_api_needs_a_note(api, make_risk, make_user):
    risk = make_risk()
    acceptance = api.as_user(risk.owner).post(f"/api/v1/risks/{risk.id}/acceptances/", body(), format="json")
    decline = f"/api/v1/risks/{risk.id}/acceptances/{acceptance.json()['id']}/decline/"
    client = api.as_user(make_user(Role.RISK_OFFICER))
    assert client.post(decline, {}, format="json").status_code == 400
    response = client.post(decline, {"note": "Loss too large"}, format="json")
    assert (response.status_code, response.json()["state"]) == (200, "declined")


def test_the_risk_page_asks_approves_and_shows_the_lapse(client, make_risk, make_user, accept):
    risk = make_risk()
    client.force_login(risk.owner)
    url = f"/risks/{risk.id}/"
    page = client.get(url).content.decode()
    assert "Ask to accept this risk" in page and "This risk is not accepted." in page
    refused = client.post(f"{url}acceptances/", {"justification": "", "expires_at": "2020-01-01"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Say why the risk can be accepted as it is." in text and "This date is in the past" in text
    day = (NOW + 40 * DAY).date()
    response = client.post(
        f"{url}acceptances/", {"justification": "Cheap to bear", "expires_at": day.isoformat()}
    )
    assert response.status_code == 302
    asked = Acceptance.objects.get()
    assert asked.expires_at.date() == day and asked.expires_at.strftime("%H:%M") == "23:59"
    page = client.get(url).content.decode()
    assert "Awaiting approval" in page and "A risk officer or an executive other than you decides it." in page
    assert client.post(f"/risks/acceptances/{asked.pk}/approve/", {}).status_code == 403

    ceo = make_user(Role.EXECUTIVE)
    client.force_login(ceo)
    assert 'data-action="approve"' in client.get(url).content.decode()
    assert client.post(f"/risks/acceptances/{asked.pk}/approve/", {"note": ""}).status_code == 302
    page = client.get(url).content.decode()
    assert "Accepted" in page and f"accepted until {day.isoformat()}" in page

    from risks.acceptances import acceptances_lapse_expired

    acceptances_lapse_expired(now=asked.expires_at)
    page = client.get(url).content.decode()
    assert "Acceptance lapsed" in page and "To be decided again" in page and "It expired on" in page
    register = client.get("/risks/?acceptance=lapsed").content.decode()
    assert risk.title in register and "To be decided again" in register
    client.force_login(risk.owner)  # a risk officer: their landing page lists it
    landing = client.get("/").context["attention"]["treatment_to_decide"]
    assert ([item.pk for item in landing.items], landing.total) == ([risk.pk], 1)


def test_a_category_appetite_overrides_the_matrix(api, client, make_risk, risk_officer):
    # The default matrix accepts up to "medium": a residual 3 × 2 = 6 (medium) is within it.
    risk = make_risk(likelihood=3, impact=2)
    assert not risk.above_appetite
    supply = Category.objects.get(key="supply-chain")
    response = api.as_user(risk_officer).patch(
        "/api/v1/risk-categories/supply-chain/", {"appetite": "low"}, format="json"
    )
    assert response.status_code == 200, response.json()
    risk.refresh_from_db()
    assert risk.above_appetite
    assert api.get("/api/v1/risks/?above_appetite=true").json()["count"] == 1
    # Back to the matrix's level, with a score limit of 5: 6 is above it.
    services.category_set_appetite(category=supply, by=risk_officer, appetite="", appetite_score=5)
    risk.refresh_from_db()
    assert risk.above_appetite
    services.category_set_appetite(category=supply, by=risk_officer, appetite="", appetite_score=None)
    risk.refresh_from_db()
    assert not risk.above_appetite
    response = api.patch("/api/v1/risk-categories/supply-chain/", {"appetite_score": 99}, format="json")
    assert response.status_code == 400 and "appetite_score" in response.json()
    # A new risk in a category with its own appetite is judged by it at once.
    services.category_set_appetite(category=supply, by=risk_officer, appetite="low", appetite_score=None)
    assert make_risk(likelihood=2, impact=3).above_appetite

    client.force_login(risk_officer)
    page = client.get("/risks/appetite/").content.decode()
    assert "Risk appetite per category" in page and "2 open risks outside appetite" in page
    response = client.post(
        "/risks/appetite/", {"category": "supply-chain", "appetite": "", "appetite_score": "0"}
    )
    assert response.status_code == 400
    response = client.post(
        "/risks/appetite/", {"category": "supply-chain", "appetite": "", "appetite_score": ""}
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert not risk.above_appetite


def test_only_register_writers_change_appetite(api, client, executive):
    response = api.as_user(executive).patch(
        "/api/v1/risk-categories/market/", {"appetite": "low"}, format="json"
    )
    assert response.status_code == 403
    client.force_login(executive)
    assert client.get("/risks/appetite/").status_code == 200
    assert client.post("/risks/appetite/", {"category": "market", "appetite": "low"}).status_code == 403
    assert Category.objects.get(key="market").appetite == ""
