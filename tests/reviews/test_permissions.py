"""Commander, risk officers and admins write the review; others who see the incident read; others 404."""

import pytest

from reviews.models import Review

WRITE = {"commander": 200, "officer": 200, "admin": 200, "ceo": 403, "buyer": 403, "outsider": 404}
READ = {"commander": 200, "officer": 200, "admin": 200, "ceo": 200, "buyer": 200, "outsider": 404}


def test_anonymous_gets_401(api, resolved):
    assert api.get(f"/api/v1/incidents/{resolved.pk}/review/").status_code == 401
    assert api.patch(f"/api/v1/incidents/{resolved.pk}/review/", {"summary": "x"}).status_code == 401
    assert api.get("/api/v1/follow-ups/").status_code == 401


@pytest.mark.parametrize("who, status", READ.items())
def test_reading_the_review_per_role(api, cast, resolved, who, status):
    assert api.as_user(cast[who]).get(f"/api/v1/incidents/{resolved.pk}/review/").status_code == status


@pytest.mark.parametrize("who, status", WRITE.items())
def test_writing_the_review_per_role(api, cast, resolved, who, status):
    response = api.as_user(cast[who]).patch(
        f"/api/v1/incidents/{resolved.pk}/review/", {"summary": "Plant fire"}, format="json"
    )
    assert response.status_code == status
    assert Review.objects.get(incident=resolved).summary == ("Plant fire" if status == 200 else "")


@pytest.mark.parametrize("who, status", {**WRITE, "commander": 400, "officer": 400, "admin": 400}.items())
def test_completing_the_review_per_role(api, cast, resolved, who, status):
    # Writers reach the validation (an empty review is not complete); others are stopped before.
    assert (
        api.as_user(cast[who]).post(f"/api/v1/incidents/{resolved.pk}/review/complete/").status_code == status
    )


@pytest.mark.parametrize("who, status", {**WRITE, "commander": 201, "officer": 201, "admin": 201}.items())
def test_adding_follow_ups_per_role(api, cast, resolved, who, status):
    response = api.as_user(cast[who]).post(
        f"/api/v1/incidents/{resolved.pk}/review/follow-ups/",
        {"title": "Audit", "owner": cast["buyer"].pk, "due_at": "2030-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == status


def test_follow_ups_of_unseen_incidents_are_not_listed(api, cast, resolved):
    api.as_user(cast["commander"]).post(
        f"/api/v1/incidents/{resolved.pk}/review/follow-ups/",
        {"title": "Audit", "owner": cast["buyer"].pk, "due_at": "2030-01-01T00:00:00Z"},
        format="json",
    )
    assert api.as_user(cast["outsider"]).get("/api/v1/follow-ups/").json()["count"] == 0
    assert api.as_user(cast["ceo"]).get("/api/v1/follow-ups/").json()["count"] == 1
