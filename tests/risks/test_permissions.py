"""Who may do what on the register: the permission matrix as a table, one row per role and endpoint."""

import pytest

from people.models import Role
from risks.models import Risk
from tests.factories import NOW, H

pytestmark = pytest.mark.django_db

READERS = {
    "anonymous": 401,
    Role.RESPONDER: 200,
    Role.EXECUTIVE: 200,
    Role.RISK_OFFICER: 200,
    Role.ADMIN: 200,
}
WRITERS = {"anonymous": 401, Role.RESPONDER: 403, Role.EXECUTIVE: 403}


def endpoints(risk, owner):
    return [
        ("get", "/api/v1/risks/", None, READERS),
        ("get", f"/api/v1/risks/{risk.id}/", None, READERS),
        ("get", f"/api/v1/risks/{risk.id}/history/", None, READERS),
        ("get", f"/api/v1/risks/{risk.id}/actions/", None, READERS),
        ("get", "/api/v1/risks/heatmap/", None, READERS),
        ("get", "/api/v1/risks/export/?type=csv", None, READERS),
        ("get", "/api/v1/risk-matrix/", None, READERS),
        ("get", "/api/v1/risk-categories/", None, READERS),
        (
            "post",
            "/api/v1/risks/",
            {"title": "t", "category": "financial", "owner": owner.id, "likelihood": 2, "impact": 2},
            {**WRITERS, Role.RISK_OFFICER: 201, Role.ADMIN: 201},
        ),
        (
            "patch",
            f"/api/v1/risks/{risk.id}/",
            {"title": "new"},
            {**WRITERS, Role.RISK_OFFICER: 200, Role.ADMIN: 200},
        ),
        (
            "post",
            f"/api/v1/risks/{risk.id}/review/",
            {"outcome": "unchanged", "looked_at": ["ratings"], "notes": "Controls hold"},
            {**WRITERS, Role.RISK_OFFICER: 201, Role.ADMIN: 201},
        ),
        (
            "post",
            f"/api/v1/risks/{risk.id}/actions/",
            {"title": "Backup supplier", "owner": owner.id, "due_at": (NOW + 30 * H).isoformat()},
            {**WRITERS, Role.RISK_OFFICER: 201, Role.ADMIN: 201},
        ),
        ("delete", f"/api/v1/risks/{risk.id}/", None, {**WRITERS, Role.RISK_OFFICER: 204, Role.ADMIN: 204}),
    ]


@pytest.mark.parametrize("role", ["anonymous", Role.RESPONDER, Role.EXECUTIVE, Role.RISK_OFFICER, Role.ADMIN])
def test_each_role_gets_exactly_its_status_on_every_endpoint(api, make_user, make_risk, role):
    risk = make_risk()
    owner = risk.owner
    if role != "anonymous":
        api.as_user(make_user(role))
    for method, url, body, expected in endpoints(risk, owner):
        before = (Risk.objects.count(), Risk.objects.get(pk=risk.pk).version)
        response = getattr(api, method)(url, body, format="json") if body else getattr(api, method)(url)
        assert response.status_code == expected[role], (method, url, response.content[:200])
        if expected[role] >= 400:
            assert (Risk.objects.count(), Risk.objects.get(pk=risk.pk).version) == before
