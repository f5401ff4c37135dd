"""/api/v1/playbooks/: the contract's shape, permissions per role, versions, preview, files."""

import pytest

from people.models import Role
from playbooks.models import Playbook, PlaybookStatus
from playbooks.services import playbook_create, playbook_publish

pytestmark = pytest.mark.django_db

WRITERS = {Role.ADMIN, Role.RISK_OFFICER}


@pytest.fixture
def published(spec, risk_officer):
    return playbook_publish(playbook=playbook_create(spec=spec(), created_by=risk_officer), by=risk_officer)


def test_create_returns_the_contract_shape(api, risk_officer, spec, team, lead):
    response = api.as_user(risk_officer).post("/api/v1/playbooks/", spec(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["status"]) == (1, "draft")
    assert body["tiers"][0] == {"key": "T1", "name": "Level 1", "starts_after": "PT0S", "ends_after": "PT6H"}
    assert body["tiers"][2]["ends_after"] is None
    assert body["steps"][0] == {
        "tier": "T1",
        "order": 1,
        "title": "Switch to the backup-supplier pool",
        "instructions": "Protect the top 20 % high-margin items.",
        "due_after": "PT2H",
        "escalate_after": "PT1H",
        "raci": {
            "responsible": [{"team": team.pk}],
            "accountable": {"user": lead.pk},
            "consulted": [],
            "informed": [{"team": body["steps"][1]["raci"]["responsible"][1]["team"]}],
        },
    }
    assert api.get(f"/api/v1/playbooks/{body['id']}/").json() == body


def test_invalid_input_is_a_field_level_400_and_writes_nothing(api, risk_officer, spec):
    broken = spec()
    broken["steps"][0]["raci"]["accountable"] = None
    response = api.as_user(risk_officer).post("/api/v1/playbooks/", broken, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "steps": {"0": {"raci": {"accountable": ["Exactly one Accountable is required."]}}}
    }
    assert not Playbook.objects.exists()


@pytest.mark.parametrize("role", [None, *Role.values])
def test_permissions_per_role(api, make_user, spec, published, role):
    if role:
        api.as_user(make_user(role))
    writes = role in WRITERS
    reads = 200 if role else 401
    cases = [
        ("get", "/api/v1/playbooks/", None, reads),
        ("get", f"/api/v1/playbooks/{published.pk}/", None, reads),
        ("get", f"/api/v1/playbooks/{published.pk}/preview/", None, reads),
        ("get", f"/api/v1/playbooks/{published.pk}/export/", None, reads),
        ("post", "/api/v1/playbooks/", spec(), 201 if writes else (403 if role else 401)),
        ("post", "/api/v1/playbooks/validate/", spec(), 200 if writes else (403 if role else 401)),
        (
            "patch",
            f"/api/v1/playbooks/{published.pk}/",
            {"name": "New"},
            201 if writes else (403 if role else 401),
        ),
        (
            "post",
            f"/api/v1/playbooks/{published.pk}/retire/",
            None,
            200 if writes else (403 if role else 401),
        ),
    ]
    for method, url, data, expected in cases:
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == expected, (method, url, response.content)
    expected_count = 2 if writes else 1  # the published version and the draft made by the edit
    assert Playbook.objects.count() == expected_count + (1 if writes else 0)


def test_editing_a_published_version_over_the_api(api, risk_officer, published, spec):
    api.as_user(risk_officer)
    changed = spec()
    changed["name"] = "Supply-chain break, v2"
    response = api.put(f"/api/v1/playbooks/{published.pk}/", changed, format="json")
    assert response.status_code == 201
    draft = response.json()
    assert (draft["version"], draft["status"], draft["based_on"]) == (2, "draft", published.pk)
    assert api.get(f"/api/v1/playbooks/{published.pk}/").json()["name"] == "Supply-chain break"

    again = api.put(f"/api/v1/playbooks/{published.pk}/", changed, format="json")
    assert again.status_code == 409

    in_place = api.patch(f"/api/v1/playbooks/{draft['id']}/", {"category": "logistics"}, format="json")
    assert (in_place.status_code, in_place.json()["id"], in_place.json()["category"]) == (
        200,
        draft["id"],
        "logistics",
    )

    response = api.post(f"/api/v1/playbooks/{draft['id']}/publish/")
    assert (response.status_code, response.json()["status"]) == (200, "published")
    assert api.get(f"/api/v1/playbooks/{published.pk}/").json()["status"] == "retired"
    conflict = api.post(f"/api/v1/playbooks/{published.pk}/publish/")
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "invalid_transition"


def test_list_filters(api, executive, published, spec, risk_officer):
    other = spec()
    other.update(name="Golden three hours", category="public-opinion", description="Never stay silent.")
    playbook_create(spec=other, created_by=risk_officer)
    api.as_user(executive)
    names = lambda query: [p["name"] for p in api.get(f"/api/v1/playbooks/{query}").json()["results"]]  # noqa: E731
    assert names("") == ["Golden three hours", "Supply-chain break"]
    assert names("?status=published") == ["Supply-chain break"]
    assert names("?category=public-opinion") == ["Golden three hours"]
    assert names("?search=silent") == ["Golden three hours"]
    assert api.get("/api/v1/playbooks/?status=lost").status_code == 400


def test_the_list_runs_a_constant_number_of_queries(
    api, executive, spec, risk_officer, django_assert_num_queries
):
    for number in range(6):
        playbook = spec()
        playbook["name"] = f"Plan {number}"
        playbook_create(spec=playbook, created_by=risk_officer)
    api.as_user(executive)
    # token + count + playbooks + tiers + steps + RACI
    with django_assert_num_queries(6):
        response = api.get("/api/v1/playbooks/")
    assert response.json()["count"] == 6


def test_preview_lays_the_plan_out_in_time(api, responder, published):
    response = api.as_user(responder).get(
        f"/api/v1/playbooks/{published.pk}/preview/?declared_at=2026-05-04T08:00:00%2B00:00&clock_rate=60"
    )
    assert response.status_code == 200
    body = response.json()
    assert [(t["key"], t["starts_at"], t["ends_at"]) for t in body["tiers"]] == [
        ("T1", "2026-05-04T08:00:00Z", "2026-05-04T08:06:00Z"),
        ("T2", "2026-05-04T08:06:00Z", "2026-05-04T08:48:00Z"),
        ("T3", "2026-05-04T08:48:00Z", None),
    ]
    first, second = body["steps"]
    assert (first["opens_at"], first["due_at"]) == ("2026-05-04T08:00:00Z", "2026-05-04T08:02:00Z")
    assert first["escalations"] == ["2026-05-04T08:02:00Z", "2026-05-04T08:03:00Z", "2026-05-04T08:04:00Z"]
    assert (second["tier"], second["due_at"]) == ("T2", "2026-05-04T08:18:00Z")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("declared_at=yesterday", "declared_at"),
        ("clock_rate=0", "clock_rate"),
        ("clock_rate=3601", "clock_rate"),
    ],
)
def test_preview_refuses_bad_parameters(api, responder, published, query, field):
    response = api.as_user(responder).get(f"/api/v1/playbooks/{published.pk}/preview/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("file_format", ["yaml", "json"])
def test_export_then_import_as_body_and_as_file(api, risk_officer, published, file_format):
    api.as_user(risk_officer)
    exported = api.get(f"/api/v1/playbooks/{published.pk}/export/?format={file_format}")
    assert exported.status_code == 200
    text = exported.content.decode()
    assert "supply-chain" in text and "crisis.lead" in text  # names, not ids

    content_type = "application/json" if file_format == "json" else "application/yaml"
    as_body = api.post("/api/v1/playbooks/import/", text, content_type=content_type)
    assert as_body.status_code == 201, as_body.content
    assert (as_body.json()["status"], as_body.json()["version"]) == ("draft", 1)

    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(f"plan.{file_format}", text.encode())
    as_file = api.post("/api/v1/playbooks/import/", {"file": upload}, format="multipart")
    assert as_file.status_code == 201
    again = api.get(f"/api/v1/playbooks/{as_file.json()['id']}/export/?format={file_format}")
    assert again.content.decode() == text
    published.refresh_from_db()
    assert published.status == PlaybookStatus.PUBLISHED
    assert Playbook.objects.filter(status=PlaybookStatus.DRAFT).count() == 2


def test_import_refuses_a_broken_file(api, risk_officer):
    response = api.as_user(risk_officer).post(
        "/api/v1/playbooks/import/", "name: [unclosed", content_type="application/yaml"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert not Playbook.objects.exists()


def test_validate_writes_nothing(api, risk_officer, spec):
    broken = spec()
    broken["tiers"][1]["starts_after"] = "PT7H"
    response = api.as_user(risk_officer).post("/api/v1/playbooks/validate/", broken, format="json")
    assert response.status_code == 400
    assert response.json() == {"tiers": {"1": {"starts_after": ["T2 must start at PT6H, where T1 ends."]}}}
    assert not Playbook.objects.exists()


def test_unknown_playbook_is_404(api, responder):
    assert api.as_user(responder).get("/api/v1/playbooks/999999/").status_code == 404


def test_validation_errors_speak_the_editors_language(make_user):
    from rest_framework.test import APIClient

    from people.models import Role

    client = APIClient()
    client.force_login(make_user(Role.RISK_OFFICER, language="zh-hans"))
    response = client.post(
        "/api/v1/playbooks/validate/", {"name": "x", "steps": [{"tier": "T9"}]}, format="json"
    )
    assert response.status_code == 400
    assert "没有级别 T9" in str(response.json())
