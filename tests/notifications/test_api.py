"""/api/v1/notifications/ and /api/v1/notification-preferences/: your own, and only yours."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.kinds import KINDS
from notifications.models import Notification, Preference
from people.models import Role

pytestmark = pytest.mark.django_db

ROLES = [Role.ADMIN, Role.RISK_OFFICER, Role.EXECUTIVE, Role.RESPONDER]


def inbox_of(user, count=3, read=0):
    """`count` notifications for the user, one minute apart, the oldest `read` of them read."""
    start = timezone.now() - dt.timedelta(hours=1)
    return [
        Notification.objects.create(
            recipient=user,
            kind="task.overdue",
            title=f"Task {n}",
            created_at=start + dt.timedelta(minutes=n),
            read_at=start if n < read else None,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/notifications/"),
        ("get", "/api/v1/notifications/unread-count/"),
        ("post", "/api/v1/notifications/1/read/"),
        ("post", "/api/v1/notifications/read-all/"),
        ("get", "/api/v1/notification-preferences/"),
        ("patch", "/api/v1/notification-preferences/task.overdue/"),
    ],
)
def test_anonymous_is_401(api, method, path):
    assert getattr(api, method)(path).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_own_notifications_newest_first(api, make_user, role):
    me, someone_else = make_user(role), make_user(Role.RESPONDER)
    mine = inbox_of(me, count=3, read=1)
    inbox_of(someone_else, count=2)
    response = api.as_user(me).get("/api/v1/notifications/")
    assert response.status_code == 200
    assert response.data["count"] == 3
    assert [item["id"] for item in response.data["results"]] == [n.pk for n in reversed(mine)]
    first = response.data["results"][0]
    assert set(first) == {"id", "kind", "title", "body", "url", "incident", "created_at", "read_at"}

    unread = api.get("/api/v1/notifications/?unread=true").data
    assert [item["title"] for item in unread["results"]] == ["Task 2", "Task 1"]
    assert api.get("/api/v1/notifications/unread-count/").data == {"unread": 2}


@pytest.mark.parametrize("role", ROLES)
def test_nobody_can_read_or_mark_another_persons_notification(api, make_user, role):
    me, someone_else = make_user(role), make_user(Role.RESPONDER)
    [theirs] = inbox_of(someone_else, count=1)
    assert api.as_user(me).post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.post("/api/v1/notifications/read-all/").data == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_read_is_kept_the_first_time(api, responder):
    [notification] = inbox_of(responder, count=1)
    first = api.as_user(responder).post(f"/api/v1/notifications/{notification.pk}/read/")
    assert first.status_code == 200
    assert first.data["read_at"] is not None
    again = api.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert again.data["read_at"] == first.data["read_at"]
    assert api.get("/api/v1/notifications/unread-count/").data == {"unread": 0}


def test_read_all_marks_only_the_unread(api, responder):
    inbox_of(responder, count=4, read=1)
    assert api.as_user(responder).post("/api/v1/notifications/read-all/").data == {"marked": 3}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_unknown_notification_and_bad_filter(api, responder):
    inbox_of(responder, count=1)
    api.as_user(responder)
    assert api.post("/api/v1/notifications/999999/read/").status_code == 404
    assert api.post("/api/v1/notifications/abc/read/").status_code == 404
    response = api.get("/api/v1/notifications/?unread=sometimes")
    assert response.status_code == 400
    assert list(response.data) == ["unread"]


def test_the_list_takes_the_same_queries_however_long_it_is(api, responder, django_assert_num_queries):
    api.as_user(responder)
    inbox_of(responder, count=2)
    # the token and its person, the count, the page
    with django_assert_num_queries(3):
        api.get("/api/v1/notifications/")
    inbox_of(responder, count=40)
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/notifications/").data["results"]) == 42


def test_preferences_list_every_kind_with_the_defaults(api, chinese):
    api.force_login(chinese)  # the web UI's session: labels in the person's language
    response = api.get("/api/v1/notification-preferences/")
    assert response.status_code == 200
    assert [p["kind"] for p in response.data] == list(KINDS)
    overdue = next(p for p in response.data if p["kind"] == "task.overdue")
    assert overdue == {"kind": "task.overdue", "label": "任务已逾期", "email": True, "webhook": True}


def test_a_person_turns_e_mail_off_for_one_kind(api, responder):
    response = api.as_user(responder).patch(
        "/api/v1/notification-preferences/tier.started/", {"email": False}, format="json"
    )
    assert response.status_code == 200
    assert (response.data["email"], response.data["webhook"]) == (False, True)
    assert Preference.objects.filter(user=responder, kind="tier.started", email=False).exists()
    assert api.get("/api/v1/notification-preferences/tier.started/").data["email"] is False


def test_a_bad_preference_changes_nothing(api, responder):
    api.as_user(responder)
    response = api.patch(
        "/api/v1/notification-preferences/tier.started/", {"email": "perhaps"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.data) == ["email"]
    unknown = api.patch("/api/v1/notification-preferences/no.such.kind/", {"email": False}, format="json")
    assert unknown.status_code == 404
    assert not Preference.objects.exists()
