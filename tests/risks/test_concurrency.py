"""Two officers on the same risk: the stale write is refused and nothing is lost. References never clash."""

import threading

import pytest
from django.db import connection

from people.models import Role
from risks import services
from risks.models import Category, Risk

pytestmark = pytest.mark.django_db


def test_the_stale_write_gets_409_and_the_first_edit_survives(api, make_user, make_risk):
    risk = make_risk()
    first, second = make_user(Role.RISK_OFFICER), make_user(Role.RISK_OFFICER)
    url = f"/api/v1/risks/{risk.id}/"
    seen = api.as_user(first).get(url).json()["version"]
    assert (
        api.patch(url, {"title": "First officer's title", "version": seen}, format="json").status_code == 200
    )
    response = api.as_user(second).patch(url, {"likelihood": 1, "impact": 1, "version": seen}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and "detail" in response.json()
    risk.refresh_from_db()
    assert (risk.title, risk.likelihood, risk.version) == ("First officer's title", 3, 2)
    assert risk.score_changes.count() == 1


def test_if_match_with_a_stale_etag_gets_412(api, risk_officer, make_risk):
    risk = make_risk()
    url = f"/api/v1/risks/{risk.id}/"
    etag = api.as_user(risk_officer).get(url)["ETag"]
    assert etag == '"1"'
    response = api.patch(url, {"title": "A"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] == '"2"'
    response = api.patch(url, {"title": "B"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    risk.refresh_from_db()
    assert risk.title == "A"


@pytest.mark.django_db(transaction=True)
def test_references_are_unique_when_officers_create_at_once(make_user):
    officer = make_user(Role.RISK_OFFICER)
    category = Category.objects.get(key="financial")
    errors = []

    def create_some():
        try:
            for _ in range(5):
                services.risk_create(
                    by=officer, title="t", category=category, owner=officer, likelihood=1, impact=1
                )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    refs = sorted(risk.ref for risk in Risk.objects.all())
    assert refs == [f"R-{number:04d}" for number in range(1, 21)]
