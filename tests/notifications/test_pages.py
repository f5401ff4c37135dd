"""The inbox page, the bell and its context processor."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from notifications.context import unread_count
from notifications.kinds import KINDS
from notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, responder):
    client.force_login(responder)
    return client


def test_the_inbox_needs_a_signed_in_person(client):
    response = client.get(reverse("notification-inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_inbox_shows_only_my_notifications(signed_in, responder, make_user):
    Notification.objects.create(recipient=responder, kind="escalation", title="Mine, unread")
    Notification.objects.create(recipient=make_user(), kind="escalation", title="Someone else's")
    page = signed_in.get(reverse("notification-inbox")).content.decode()
    assert "Mine, unread" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(signed_in, responder):
    notification = Notification.objects.create(
        recipient=responder, kind="escalation", title="T", url="/incidents/4/"
    )
    response = signed_in.post(reverse("notification-inbox-read", args=[notification.pk]), {"open": "1"})
    assert (response.status_code, response.url) == (302, "/incidents/4/")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_offsite_link_is_not_followed(signed_in, responder):
    notification = Notification.objects.create(
        recipient=responder, kind="escalation", title="T", url="https://evil.example/"
    )
    response = signed_in.post(reverse("notification-inbox-read", args=[notification.pk]), {"open": "1"})
    assert response.url == reverse("notification-inbox")


def test_another_persons_notification_is_404_on_the_page(signed_in, make_user):
    theirs = Notification.objects.create(recipient=make_user(), kind="escalation", title="T")
    assert signed_in.post(reverse("notification-inbox-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_from_the_page(signed_in, responder):
    for n in range(3):
        Notification.objects.create(recipient=responder, kind="escalation", title=f"T{n}")
    signed_in.post(reverse("notification-inbox-read-all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_preferences_form_stores_every_kind(signed_in, responder):
    signed_in.post(
        reverse("notification-inbox-preferences"), {"email:escalation": "on", "webhook:tier.started": "on"}
    )
    stored = {p.kind: (p.email, p.webhook) for p in Preference.objects.filter(user=responder)}
    assert set(stored) == set(KINDS)
    assert stored["escalation"] == (True, False)
    assert stored["tier.started"] == (False, True)
    assert stored["task.overdue"] == (False, False)


def test_the_bell_shows_the_unread_count_and_costs_a_query_only_when_shown(
    responder, django_assert_num_queries
):
    Notification.objects.create(recipient=responder, kind="escalation", title="T")
    request = RequestFactory().get("/")
    request.user = responder
    with django_assert_num_queries(0):
        context = unread_count(request)
    with django_assert_num_queries(1):
        bell = render_to_string("notifications/bell.html", context)
    assert 'href="/notifications/"' in bell
    assert '<span class="notification-count"' in bell and ">1</span>" in bell


def test_the_bell_is_quiet_with_nothing_unread_and_absent_for_anonymous(responder):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread_count(request) == {}
    request.user = responder
    bell = render_to_string("notifications/bell.html", unread_count(request))
    assert "data-bell-count hidden>0</span>" in bell
