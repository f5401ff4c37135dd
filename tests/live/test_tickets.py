"""POST /api/v1/ws-ticket/ and connecting with ?ticket=: short-lived, single use, no Origin needed."""

import datetime as dt
import threading

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from live.tickets import ticket_issue, ticket_redeem
from people.models import Role

URL = "/api/v1/ws-ticket/"


@pytest.mark.django_db
def test_anonymous_gets_401_and_nothing_is_issued(api):
    response = api.post(URL)
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADMIN, Role.EXECUTIVE, Role.RISK_OFFICER, Role.RESPONDER])
def test_every_signed_in_role_gets_a_ticket_expiring_within_60_seconds(api, make_user, role):
    user = make_user(role)
    before = timezone.now()
    response = api.as_user(user).post(URL)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"ticket", "expires_at"} and len(body["ticket"]) >= 32
    assert before < parse_datetime(body["expires_at"]) <= before + dt.timedelta(seconds=61)
    assert ticket_redeem(ticket=body["ticket"]) == user.pk


@pytest.mark.django_db
def test_get_is_not_allowed(api, executive):
    assert api.as_user(executive).get(URL).status_code == 405


def test_a_ticket_is_redeemed_once():
    ticket = ticket_issue(user_id=7).ticket
    assert ticket_redeem(ticket=ticket) == 7
    assert ticket_redeem(ticket=ticket) is None
    assert ticket_redeem(ticket="made-up") is None
    assert ticket_redeem(ticket="") is None


def test_a_ticket_is_redeemed_once_even_by_racing_connections():
    ticket = ticket_issue(user_id=42).ticket
    results, start = [], threading.Barrier(16)

    def redeem():
        start.wait()
        results.append(ticket_redeem(ticket=ticket))

    threads = [threading.Thread(target=redeem) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [42] + [None] * 15


def test_a_ticket_expires_by_itself():
    from core.redis_store import redis_store
    from live.tickets import KEY_PREFIX

    ticket = ticket_issue(user_id=3).ticket
    assert 0 < redis_store().ttl(KEY_PREFIX + ticket) <= 60


@pytest.mark.django_db(transaction=True)
async def test_a_ticket_opens_one_socket_without_origin_or_cookie(sockets, incident, cast):
    ticket = ticket_issue(user_id=cast["ceo"].pk).ticket
    socket = await sockets.open(f"/ws/incidents/{incident.pk}/", origin=None, query=f"?ticket={ticket}")
    assert (await socket.receive())["type"] == "snapshot"
    again = await sockets.open(f"/ws/incidents/{incident.pk}/", origin=None, query=f"?ticket={ticket}")
    assert await again.closed_with() == 4401


@pytest.mark.django_db(transaction=True)
async def test_a_ticket_holder_is_authorised_like_anyone_else(sockets, incident, cast):
    ticket = ticket_issue(user_id=cast["outsider"].pk).ticket
    socket = await sockets.open(f"/ws/incidents/{incident.pk}/", origin=None, query=f"?ticket={ticket}")
    assert await socket.closed_with() == 4403


@pytest.mark.django_db(transaction=True)
async def test_with_a_ticket_the_cookie_is_ignored(sockets, incident, cast):
    """A page elsewhere cannot ride on the browser's session by adding a made-up ticket."""
    socket = await sockets.open(
        f"/ws/incidents/{incident.pk}/", user=cast["ceo"], origin=b"https://evil.example", query="?ticket=x"
    )
    assert await socket.closed_with() == 4401
