"""The three streams: who may open them, what comes first, and events in order with nothing lost."""

import pytest
from channels.db import database_sync_to_async
from django.db import transaction
from django.test import Client

from core import realtime
from incidents import events, services
from incidents.models import TimelineEntry
from notifications.services import notifications_mark_all_read, notify
from people.models import Membership, Role, Team

pytestmark = pytest.mark.django_db(transaction=True)

act = database_sync_to_async


def incident_path(incident):
    return f"/ws/incidents/{incident.pk}/"


def team_path(team):
    return f"/ws/teams/{team.pk}/"


def pool_task(incident):
    return incident.tasks.get(title="Switch to the backup-supplier pool")


async def test_no_session_and_no_ticket_is_closed_4401(sockets, incident):
    for path in (incident_path(incident), "/ws/dashboard/", "/ws/teams/1/"):
        socket = await sockets.open(path)
        assert await socket.closed_with() == 4401


async def test_a_session_from_another_origin_is_refused_at_the_handshake(sockets, incident, cast):
    socket = await sockets.open(incident_path(incident), user=cast["ceo"], origin=b"https://evil.example")
    assert not socket.accepted
    socket = await sockets.open(incident_path(incident), user=cast["ceo"], origin=None)
    assert not socket.accepted


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("admin", True),
        ("ceo", True),
        ("officer", True),
        ("commander", True),
        ("buyer", True),  # a team of theirs is Responsible
        ("pr_lead", True),  # named as Consulted
        ("outsider", False),
    ],
)
async def test_incident_stream_follows_the_visibility_rule(sockets, incident, cast, who, allowed):
    socket = await sockets.open(incident_path(incident), user=cast[who])
    if allowed:
        snapshot = await socket.receive()
        assert snapshot["type"] == "snapshot" and snapshot["incident"] == incident.pk
    else:
        assert await socket.closed_with() == 4403


async def test_an_incident_that_does_not_exist_is_4403(sockets, cast):
    socket = await sockets.open("/ws/incidents/999999/", user=cast["ceo"])
    assert await socket.closed_with() == 4403


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("ceo", True), ("officer", True), ("buyer", True), ("pr_lead", False)],
)
async def test_team_stream_is_for_members_and_those_who_see_everything(sockets, incident, cast, who, allowed):
    socket = await sockets.open(team_path(cast["supply"]), user=cast[who])
    if allowed:
        snapshot = await socket.receive()
        assert snapshot["type"] == "snapshot"
        assert [row["id"] for row in snapshot["data"]["incidents"]] == [incident.pk]
        assert [task["title"] for task in snapshot["data"]["tasks"]] == ["Switch to the backup-supplier pool"]
    else:
        assert await socket.closed_with() == 4403


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("ceo", True), ("officer", True), ("commander", False), ("buyer", False)],
)
async def test_dashboard_is_for_executives_admins_and_risk_officers(sockets, incident, cast, who, allowed):
    socket = await sockets.open("/ws/dashboard/", user=cast[who])
    if allowed:
        snapshot = await socket.receive()
        assert snapshot["type"] == "snapshot" and snapshot["seq"] == 0
        [row] = snapshot["data"]["incidents"]
        assert row["id"] == incident.pk and row["current_tier"] == "T1" and row["seq"] == incident.last_seq
    else:
        assert await socket.closed_with() == 4403


async def test_incident_snapshot_is_the_current_state_at_the_latest_seq(sockets, incident, cast):
    socket = await sockets.open(incident_path(incident), user=cast["ceo"])
    snapshot = await socket.receive()
    await act(incident.refresh_from_db)()
    assert snapshot["seq"] == incident.last_seq > 0
    assert snapshot["data"]["current_tier"] == "T1"
    assert {task["title"]: task["state"] for task in snapshot["data"]["tasks"]} == {
        "Switch to the backup-supplier pool": "open",
        "Start pre-sale mode": "pending",
        "Open the C2M channel": "pending",
    }


async def test_a_change_reaches_the_incident_team_and_dashboard_streams_once(sockets, incident, cast):
    watching = [
        await sockets.open(incident_path(incident), user=cast["buyer"]),
        await sockets.open(team_path(cast["supply"]), user=cast["logistics"]),
        await sockets.open("/ws/dashboard/", user=cast["ceo"]),
    ]
    for socket in watching:
        await socket.receive()
    task = await act(pool_task)(incident)
    await act(services.task_complete)(task_id=task.pk, by=cast["buyer"], note="done")
    expected_seq = incident.last_seq + 1
    for socket in watching:
        event = await socket.receive()
        assert event["type"] == "task.updated"
        assert event["seq"] == expected_seq and event["incident"] == incident.pk
        assert event["data"]["task"] == task.pk and event["data"]["state"] == "done"
        assert await socket.nothing_more()


async def test_team_stream_gets_nothing_of_incidents_the_team_is_not_in(sockets, incident, cast, make_user):
    legal = await act(Team.objects.create)(slug="legal", name="Legal")
    lawyer = await act(make_user)(Role.RESPONDER, teams=[legal])
    socket = await sockets.open(team_path(legal), user=lawyer)
    assert (await socket.receive())["data"]["incidents"] == []
    await act(services.incident_post_update)(incident_id=incident.pk, by=cast["commander"], body="Update")
    assert await socket.nothing_more()


async def test_reconnecting_with_since_replays_every_missed_event_then_live_ones(sockets, incident, cast):
    first = await sockets.open(incident_path(incident), user=cast["ceo"])
    seen = (await first.receive())["seq"]
    await first.disconnect()

    task = await act(pool_task)(incident)
    await act(services.task_acknowledge)(task_id=task.pk, by=cast["buyer"])
    await act(services.incident_post_update)(
        incident_id=incident.pk, by=cast["commander"], body="Plant on fire"
    )
    await act(services.incident_advance_tier)(incident_id=incident.pk, by=cast["commander"])

    again = await sockets.open(incident_path(incident), user=cast["ceo"], query=f"?since={seen}")
    snapshot = await again.receive()
    assert snapshot["type"] == "snapshot" and snapshot["seq"] == seen
    assert snapshot["data"]["current_tier"] == "T2"  # the state is the current one
    replayed = [await again.receive() for _ in range(3)]
    assert [event["seq"] for event in replayed] == [seen + 1, seen + 2, seen + 3]
    assert [event["type"] for event in replayed] == [
        "task.updated",
        "timeline.appended",
        "incident.tier_changed",
    ]
    assert replayed[2]["data"]["from"] == "T1" and replayed[2]["data"]["to"] == "T2"

    await act(services.incident_post_update)(incident_id=incident.pk, by=cast["commander"], body="Contained")
    live = await again.receive()
    assert live["seq"] == seen + 4 and live["type"] == "timeline.appended"
    assert await again.nothing_more()


async def test_since_beyond_the_latest_seq_continues_from_the_latest(sockets, incident, cast):
    socket = await sockets.open(incident_path(incident), user=cast["ceo"], query="?since=999")
    snapshot = await socket.receive()
    assert snapshot["seq"] == incident.last_seq
    assert await socket.nothing_more()


async def test_an_event_published_twice_is_delivered_once(sockets, incident, cast):
    socket = await sockets.open(incident_path(incident), user=cast["ceo"])
    await socket.receive()
    await act(services.incident_post_update)(incident_id=incident.pk, by=cast["commander"], body="Once")
    event = await socket.receive()
    entry = await act(TimelineEntry.objects.get)(incident=incident, seq=event["seq"])
    await act(events.publish)(incident.pk, [(entry.seq, realtime.encode(events.event_from_entry(entry)))])
    assert await socket.nothing_more()


async def test_events_published_out_of_order_reach_the_client_in_order(sockets, incident, cast, monkeypatch):
    """Two processes may publish seq n+1 before seq n: the stream fills the gap from the timeline."""
    watching = [
        await sockets.open(incident_path(incident), user=cast["ceo"]),
        await sockets.open("/ws/dashboard/", user=cast["officer"]),
    ]
    for socket in watching:
        await socket.receive()

    def two_updates_with_the_first_event_late():
        held = []
        with monkeypatch.context() as patch:
            patch.setattr(events, "publish", lambda *args: held.append(args))
            services.incident_post_update(incident_id=incident.pk, by=cast["commander"], body="first")
        services.incident_post_update(incident_id=incident.pk, by=cast["commander"], body="second")
        events.publish(*held[0])

    await act(two_updates_with_the_first_event_late)()
    for socket in watching:
        received = [await socket.receive(), await socket.receive()]
        assert [event["seq"] for event in received] == [incident.last_seq + 1, incident.last_seq + 2]
        assert [event["data"]["body"] for event in received] == ["first", "second"]
        assert await socket.nothing_more()


async def test_nothing_is_sent_before_the_transaction_commits(sockets, incident, cast):
    socket = await sockets.open(incident_path(incident), user=cast["ceo"])
    await socket.receive()

    def update_then_roll_back():
        with transaction.atomic():
            services.incident_post_update(incident_id=incident.pk, by=cast["commander"], body="never")
            transaction.set_rollback(True)

    await act(update_then_roll_back)()
    assert await socket.nothing_more()


async def test_leaving_the_team_closes_the_team_stream_with_4403(sockets, incident, cast):
    socket = await sockets.open(team_path(cast["supply"]), user=cast["logistics"])
    await socket.receive()
    await act(Membership.objects.filter(user=cast["logistics"], team=cast["supply"]).delete)()
    assert await socket.closed_with() == 4403


async def test_losing_the_executive_role_closes_the_dashboard_but_not_what_they_still_see(
    sockets, incident, cast
):
    ceo = cast["ceo"]
    dashboard = await sockets.open("/ws/dashboard/", user=ceo)
    await dashboard.receive()
    commander = cast["commander"]
    own_incident = await sockets.open(incident_path(incident), user=commander)
    await own_incident.receive()

    def demote(user):
        user.role = Role.RESPONDER
        user.save()

    await act(demote)(ceo)
    assert await dashboard.closed_with() == 4403
    await act(demote)(commander)  # was a responder already: still the incident's commander
    assert await own_incident.nothing_more()


async def test_signing_in_again_does_not_disturb_open_sockets(sockets, incident, cast):
    socket = await sockets.open("/ws/dashboard/", user=cast["ceo"])
    await socket.receive()
    await act(Client().force_login)(cast["ceo"])
    assert await socket.nothing_more()


async def test_logging_out_closes_the_sessions_sockets_with_4401(sockets, incident, cast):
    browser, other_browser = Client(), Client()
    for client in (browser, other_browser):
        await act(client.force_login)(cast["ceo"])
    signed_out = await sockets.open("/ws/dashboard/", cookie=browser.cookies["sessionid"].value)
    still_in = await sockets.open("/ws/dashboard/", cookie=other_browser.cookies["sessionid"].value)
    for socket in (signed_out, still_in):
        await socket.receive()
    await act(browser.logout)()
    assert await signed_out.closed_with() == 4401
    assert await still_in.nothing_more()


async def test_the_bell_stream_counts_what_is_unread_and_follows_every_change(sockets, cast):
    socket = await sockets.open("/ws/notifications/", user=cast["buyer"])
    snapshot = await socket.receive()
    assert (snapshot["type"], snapshot["seq"], snapshot["data"]) == ("snapshot", 0, {"unread": 0})

    await act(notify)(recipients=[cast["ceo"]], kind="escalation", title="Level 3")
    assert await socket.nothing_more()
    await act(notify)(recipients=[cast["buyer"], cast["ceo"]], kind="escalation", title="Level 2")
    received = await socket.receive()
    assert (received["type"], received["seq"], received["data"]) == ("notifications.unread", 1, {"unread": 1})
    await act(notify)(recipients=[cast["buyer"]], kind="task.overdue", title="Overdue")
    assert (await socket.receive())["data"] == {"unread": 2}
    await act(notifications_mark_all_read)(user=cast["buyer"])
    read = await socket.receive()
    assert (read["seq"], read["data"]) == (4, {"unread": 0})
    assert await socket.nothing_more()


async def test_the_bell_stream_needs_someone_signed_in(sockets):
    socket = await sockets.open("/ws/notifications/")
    assert await socket.closed_with() == 4401
