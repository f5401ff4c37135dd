"""Bad input answers in the contract's error shape and changes nothing; Chinese text round-trips.

The first tests are the regressions of what the fuzzer found (test_api_fuzzing.py); the rest send
what it does not: bytes that are not JSON to every write operation, huge fields, and Chinese.
"""

import pytest

from people.models import Team
from playbooks.models import Playbook
from risks import services as risk_services
from risks.models import Risk
from tests.riskops.error_shape import assert_contract_error

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch"}


def assert_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert_contract_error(response.status_code, response["Content-Type"], response.content)


def test_deleting_a_team_that_a_playbook_names_is_a_conflict_not_a_server_error(api, cast, playbook):
    response = api.as_user(cast["admin"]).delete(f"/api/v1/teams/{cast['supply'].pk}/")
    assert_error(response, 409)
    assert response.json()["code"] == "protected"
    assert Team.objects.filter(pk=cast["supply"].pk).exists()


@pytest.mark.parametrize("body", ["false", "[]", '"a string"', "42"])
def test_a_partial_playbook_edit_that_is_not_an_object_is_refused(api, cast, playbook, body):
    response = api.as_user(cast["admin"]).patch(
        f"/api/v1/playbooks/{playbook.pk}/", body, content_type="application/json"
    )
    assert_error(response, 400)
    assert Playbook.objects.count() == 1  # no new draft


def test_a_reassignment_that_changes_nothing_has_one_detail_message(api, cast, incident):
    task = incident.tasks.filter(state="open").first()
    response = api.as_user(cast["admin"]).post(f"/api/v1/tasks/{task.pk}/reassign/", {}, format="json")
    assert_error(response, 400)
    assert response.json()["detail"].startswith("Give new responsible parties")


def test_a_path_under_the_api_that_names_nothing_answers_json(api, admin):
    response = api.as_user(admin).get("/api/v1/incidents/not-a-number/review/")
    assert_error(response, 404)
    assert response.json() == {"detail": "Not found."}


def test_a_page_that_does_not_exist_stays_an_html_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_an_export_of_a_missing_playbook_answers_json_not_yaml(api, admin):
    response = api.as_user(admin).get("/api/v1/playbooks/999999/export/")
    assert_error(response, 404)


def write_operations(api, admin):
    schema = api.as_user(admin).get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method in WRITE_METHODS & operations.keys():
            yield method, path.replace("{id}", "1").replace("{incident_id}", "1").replace("{kind}", "1")


def test_every_write_operation_refuses_bytes_that_are_not_json(api, admin, matrix):
    seen = 0
    for method, path in write_operations(api, admin):
        response = getattr(api, method)(path, b'{"title": "unterminated', content_type="application/json")
        assert response.status_code < 500, (method, path, response.content[:300])
        if response.status_code >= 400:  # some actions read no body (mark all read)
            assert_contract_error(response.status_code, response["Content-Type"], response.content)
        if response.status_code == 400 and "JSON parse error" in response.json().get("detail", ""):
            seen += 1
    assert seen >= 10  # the create endpoints do parse the body and say it is not JSON


def huge_risk(owner, title):
    return {
        "title": title,
        "description": "x",
        "category": "operational",
        "source": "internal",
        "owner": owner.pk,
        "likelihood": 10**30,
        "impact": 3,
        "treatment": "mitigate",
        "reason": "r",
    }


def test_huge_fields_are_refused_field_by_field(api, risk_officer, matrix):
    body = huge_risk(risk_officer, "风" * 100_000)
    response = api.as_user(risk_officer).post("/api/v1/risks/", body, format="json")
    assert_error(response, 400)
    assert {"title", "likelihood"} <= response.json().keys()


def test_a_body_over_the_upload_limit_is_refused_whole(api, risk_officer, matrix, settings):
    body = huge_risk(risk_officer, "风" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 1))
    response = api.as_user(risk_officer).post("/api/v1/risks/", body, format="json")
    assert_error(response, 413)
    assert Risk.objects.count() == 0


def test_chinese_text_round_trips_intact(api, risk_officer, matrix):
    title = "华东仓储中心因台风停运，影响𠀀字库与🙂表情的订单"
    description = "原因：台风；事件：停运 48 小时；后果：客户投诉\n第二行 «引号» ‘单引号’"
    body = {
        "title": title,
        "description": description,
        "category": "operational",
        "source": "external",
        "owner": risk_officer.pk,
        "likelihood": 3,
        "impact": 4,
        "treatment": "mitigate",
        "reason": "季度风险研讨会识别",
    }
    created = api.as_user(risk_officer).post("/api/v1/risks/", body, format="json")
    assert created.status_code == 201, created.json()
    fetched = api.get(f"/api/v1/risks/{created.json()['id']}/").json()
    assert (fetched["title"], fetched["description"]) == (title, description)
    history = api.get(f"/api/v1/risks/{created.json()['id']}/history/").json()["results"]
    assert history[0]["reason"] == "季度风险研讨会识别"
    found = api.get("/api/v1/risks/", {"search": "台风停运"}).json()
    assert [risk["title"] for risk in found["results"]] == [title]


@pytest.fixture
def matrix(db):
    return risk_services.matrix_ensure_default()
