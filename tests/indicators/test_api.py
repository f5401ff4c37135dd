"""/api/v1/kris/: permissions per role, readings one by one, in bulk and by CSV, bad input changes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.models import KRI, Breach, Reading
from people.models import Role
from tests.factories import NOW

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", Role.RESPONDER, Role.EXECUTIVE, Role.RISK_OFFICER, Role.ADMIN, "kri owner"]
READ = dict.fromkeys(ROLES, 200) | {"anonymous": 401}
WRITE_KRI = {"anonymous": 401, Role.RESPONDER: 403, Role.EXECUTIVE: 403, "kri owner": 403}
POST_READING = {"anonymous": 401, Role.RESPONDER: 403, Role.EXECUTIVE: 403}


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def kri_body(owner, risk, **extra) -> dict:
    return {
        "name": "User-health index",
        "unit": "points",
        "risks": [risk.id],
        "owner": owner.id,
        "direction": "lower_is_worse",
        "amber": 70,
        "red": 65,
        "rule": {"type": "consecutive", "count": 3},
        "on_red": "notify",
        "expected_every": "P7D",
        **extra,
    }


def endpoints(kri, risk):
    hour_ago = iso(timezone.now() - dt.timedelta(hours=1))
    return [
        ("get", "/api/v1/kris/", None, READ),
        ("get", f"/api/v1/kris/{kri.id}/", None, READ),
        ("get", f"/api/v1/kris/{kri.id}/readings/", None, READ),
        ("get", f"/api/v1/kris/{kri.id}/breaches/", None, READ),
        (
            "post",
            "/api/v1/kris/",
            kri_body(kri.owner, risk),
            {**WRITE_KRI, Role.RISK_OFFICER: 201, Role.ADMIN: 201},
        ),
        (
            "patch",
            f"/api/v1/kris/{kri.id}/",
            {"amber": 75},
            {**WRITE_KRI, Role.RISK_OFFICER: 200, Role.ADMIN: 200},
        ),
        (
            "post",
            f"/api/v1/kris/{kri.id}/readings/",
            {"value": 50, "measured_at": hour_ago},
            {**POST_READING, Role.RISK_OFFICER: 201, Role.ADMIN: 201, "kri owner": 201},
        ),
        (
            "post",
            "/api/v1/kris/readings/",
            [{"kri": kri.id, "value": 50, "measured_at": hour_ago}],
            {**POST_READING, Role.RISK_OFFICER: 201, Role.ADMIN: 201, "kri owner": 201},
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_status_on_every_endpoint(api, make_user, make_kri, risk, kri_owner, role):
    kri = make_kri()
    for method, url, body, expected in endpoints(kri, risk):
        Reading.objects.all().delete()
        KRI.objects.filter(pk=kri.pk).update(last_measured_at=None)
        api.credentials()
        if role == "kri owner":
            api.as_user(kri_owner)
        elif role != "anonymous":
            api.as_user(make_user(role))
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == expected[role], (method, url, response.content)


def test_a_kri_is_created_as_the_contract_says(api, officer, kri_owner, risk):
    response = api.as_user(officer).post("/api/v1/kris/", kri_body(kri_owner, risk), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {
        key: body[key] for key in ("risks", "direction", "amber", "red", "rule", "on_red", "expected_every")
    } == {
        "risks": [risk.id],
        "direction": "lower_is_worse",
        "amber": 70.0,
        "red": 65.0,
        "rule": {"type": "consecutive", "count": 3},
        "on_red": "notify",
        "expected_every": "PT168H",
    }


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amber": 60}, "amber"),  # below red when lower is worse
        ({"rule": {"type": "consecutive", "count": 1}}, "rule"),
        ({"direction": "sideways"}, "direction"),
        ({"on_red": "panic"}, "on_red"),
        ({"amber": "lots"}, "amber"),
        ({"expected_every": "soon"}, "expected_every"),
        ({"risks": [999999]}, "risks"),
    ],
)
def test_bad_kri_settings_are_field_errors_and_nothing_is_written(
    api, officer, kri_owner, risk, changes, field
):
    response = api.as_user(officer).post("/api/v1/kris/", kri_body(kri_owner, risk, **changes), format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert KRI.objects.count() == 0


def test_one_reading_answers_its_band_and_incident(api, officer, make_kri):
    kri = make_kri(on_red="open_incident")
    url = f"/api/v1/kris/{kri.id}/readings/"
    response = api.as_user(officer).post(url, {"value": 85, "measured_at": iso(NOW)}, format="json")
    assert response.status_code == 201
    assert response.json()["band"] == "amber" and response.json()["incident"] is None
    body = api.post(url, {"value": 95}, format="json").json()  # measured now by default
    assert body["band"] == "red" and body["incident"] == Breach.objects.get().incident_id is not None


def test_a_list_of_readings_is_all_or_nothing_with_errors_per_item(api, officer, make_kri):
    kri = make_kri()
    url = f"/api/v1/kris/{kri.id}/readings/"
    good = {"value": 50, "measured_at": iso(NOW - dt.timedelta(days=2))}
    bad = [
        good,
        {"value": "many", "measured_at": iso(NOW - dt.timedelta(days=1))},
        {"value": 50, "measured_at": "yesterday"},
    ]
    response = api.as_user(officer).post(url, bad, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"1", "2"}  # the invalid items, by position
    assert "value" in response.json()["1"] and "measured_at" in response.json()["2"]
    assert Reading.objects.count() == 0
    later = {"value": 85, "measured_at": iso(NOW - dt.timedelta(days=1))}
    response = api.post(url, [later, good], format="json")  # any order: evaluated in time order
    assert response.status_code == 201
    assert [item["band"] for item in response.json()] == ["amber", "green"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"value": "high"}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": None}, "value"),
        ({"value": 1, "measured_at": "not a time"}, "measured_at"),
        ({"value": 1, "measured_at": "in a minute"}, "measured_at"),
    ],
)
def test_bad_readings_are_400_and_nothing_is_written(api, officer, make_kri, body, field):
    kri = make_kri()
    if body.get("measured_at") == "in a minute":
        body = {**body, "measured_at": iso(timezone.now() + dt.timedelta(minutes=1))}
    response = api.as_user(officer).post(f"/api/v1/kris/{kri.id}/readings/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert Reading.objects.count() == 0 and Breach.objects.count() == 0
    kri.refresh_from_db()
    assert kri.last_measured_at is None


def test_a_reading_of_an_unknown_kri_is_400(api, officer, make_kri):
    kri = make_kri()
    body = [{"kri": kri.id, "value": 95}, {"kri": 999999, "value": 1}]
    response = api.as_user(officer).post("/api/v1/kris/readings/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == ["1"] and "kri" in response.json()["1"]
    assert Reading.objects.count() == 0 and Breach.objects.count() == 0


def test_readings_are_added_in_time_order(api, officer, make_kri):
    kri = make_kri()
    url = f"/api/v1/kris/{kri.id}/readings/"
    api.as_user(officer).post(url, {"value": 1, "measured_at": iso(NOW)}, format="json")
    for moment in (NOW, NOW - dt.timedelta(hours=1)):
        response = api.post(url, {"value": 95, "measured_at": iso(moment)}, format="json")
        assert response.status_code == 400 and "measured_at" in response.json()
    same_time = [{"value": 1, "measured_at": iso(NOW + dt.timedelta(seconds=1))}] * 2
    response = api.post(url, same_time, format="json")
    assert (
        response.status_code == 400
        and list(response.json()) == ["1"]
        and "measured_at" in response.json()["1"]
    )
    assert Reading.objects.count() == 1


def test_csv_import_records_every_row_or_none(api, officer, make_kri):
    first, second = make_kri(), make_kri(name="Inventory turnover days")
    rows = (
        f"kri,value,measured_at\n{first.id},50,{iso(NOW - dt.timedelta(days=1))}\n{second.id},95,{iso(NOW)}\n"
    )
    url = "/api/v1/kris/readings/import/"
    bad = rows + f"{first.id},lots,{iso(NOW)}\n"
    response = api.as_user(officer).post(
        url, {"file": SimpleUploadedFile("r.csv", bad.encode())}, format="multipart"
    )
    assert response.status_code == 400 and list(response.json()) == ["2"] and "value" in response.json()["2"]
    assert Reading.objects.count() == 0
    response = api.post(
        url, {"file": SimpleUploadedFile("r.csv", b"when,how much\n1,2\n")}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()
    response = api.post(url, {"file": SimpleUploadedFile("r.csv", rows.encode())}, format="multipart")
    assert response.status_code == 201 and [item["band"] for item in response.json()] == ["green", "red"]


def test_the_owner_posts_readings_of_their_own_kri_only(api, make_kri, kri_owner, make_user):
    mine, theirs = make_kri(), make_kri(owner=make_user(username="someone-else"))
    api.as_user(kri_owner)
    assert api.post(f"/api/v1/kris/{mine.id}/readings/", {"value": 1}, format="json").status_code == 201
    assert api.post(f"/api/v1/kris/{theirs.id}/readings/", {"value": 1}, format="json").status_code == 403
    both = [{"kri": mine.id, "value": 2}, {"kri": theirs.id, "value": 2}]
    assert api.post("/api/v1/kris/readings/", both, format="json").status_code == 403
    assert Reading.objects.count() == 1


def test_list_queries_do_not_grow_with_kris_or_risks(api, officer, make_kri, risk, django_assert_num_queries):
    api.as_user(officer)
    make_kri()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/kris/").status_code == 200
        return len(queries)

    few = count()
    for index in range(5):
        make_kri(name=f"KRI {index}", commander=officer)
    with django_assert_num_queries(few):
        assert len(api.get("/api/v1/kris/").json()["results"]) == 6


def test_reading_list_queries_are_constant(api, officer, make_kri, record, django_assert_num_queries):
    kri = make_kri()
    for day in range(30):
        record(kri, day, NOW - dt.timedelta(days=30 - day))
    api.as_user(officer)
    with django_assert_num_queries(5):  # token, KRI, its risks, count, page
        assert api.get(f"/api/v1/kris/{kri.id}/readings/").json()["count"] == 30
