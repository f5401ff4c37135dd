"""An incident's subscribers share its snapshot (live/snapshots.py): each still starts from the
current state and seq and then gets every later event once, in order, with no gap."""

import asyncio
import threading
import time

import pytest
from channels.db import database_sync_to_async
from django.db import connections

from incidents import services
from incidents.models import Task
from live import selectors, snapshots
from tests.fixtures.live import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

act = database_sync_to_async
# Those who see everything and responders the incident names, as a war room's audience is.
WATCHERS = ["ceo", "buyer", "officer", "pr_lead", "admin", "commander"]


def incident_path(incident):
    return f"/ws/incidents/{incident.pk}/"


async def session_of(person) -> str:
    """A browser's session key, signed in as `person`."""
    return (await act(session_cookie)(person)).split("=", 1)[1]


@pytest.fixture
def builds(monkeypatch):
    """Every snapshot built from the database, by incident id; none expires while a test runs."""
    built = []
    build = selectors.incident_snapshot

    def counted(*, incident_id):
        built.append(incident_id)
        return build(incident_id=incident_id)

    monkeypatch.setattr(selectors, "incident_snapshot", counted)
    monkeypatch.setattr(snapshots, "MAX_AGE_SECONDS", 600)
    return built


async def test_subscribers_arriving_together_share_one_snapshot(sockets, incident, cast, builds):
    sessions = [await session_of(cast[who]) for who in WATCHERS]
    # Each is opened as soon as the previous one is accepted, before it has its snapshot.
    opened = [await sockets.open(incident_path(incident), cookie=session) for session in sessions]
    received = [await socket.receive() for socket in opened]
    await act(incident.refresh_from_db)()
    assert {(snapshot["type"], snapshot["seq"]) for snapshot in received} == {("snapshot", incident.last_seq)}
    assert len({str(snapshot["data"]) for snapshot in received}) == 1  # the same state for everyone
    assert builds == [incident.pk]


async def test_a_subscriber_after_a_change_gets_the_new_state_and_seq(sockets, incident, cast, builds):
    first = await (await sockets.open(incident_path(incident), user=cast["ceo"])).receive()
    task = await act(Task.objects.get)(incident=incident, title="Switch to the backup-supplier pool")
    await act(services.task_acknowledge)(task_id=task.pk, by=cast["buyer"])

    second = await (await sockets.open(incident_path(incident), user=cast["officer"])).receive()
    assert second["seq"] == first["seq"] + 1
    states = {task["title"]: task["state"] for task in second["data"]["tasks"]}
    assert states["Switch to the backup-supplier pool"] == "acknowledged"
    assert builds == [incident.pk, incident.pk]


async def test_a_change_without_a_timeline_entry_reaches_new_subscribers_once_the_snapshot_is_old(
    sockets, incident, cast, monkeypatch
):
    """As an edit in the Django admin would be: no seq moves, so only the snapshot's age tells."""
    await (await sockets.open(incident_path(incident), user=cast["ceo"])).receive()
    await act(Task.objects.filter(incident=incident, title="Start pre-sale mode").update)(title="Pre-sale")
    monkeypatch.setattr(snapshots, "MAX_AGE_SECONDS", 0)
    snapshot = await (await sockets.open(incident_path(incident), user=cast["ceo"])).receive()
    assert "Pre-sale" in {task["title"] for task in snapshot["data"]["tasks"]}


async def test_subscribers_arriving_during_a_burst_of_events_see_every_seq_once_in_order(
    sockets, incident, cast
):
    updates = 40
    sessions = [await session_of(cast[who]) for who in WATCHERS * 3]
    first = incident.last_seq

    def burst():
        try:
            for n in range(updates):
                services.incident_post_update(incident_id=incident.pk, by=cast["commander"], body=f"#{n}")
                time.sleep(0.01)
        finally:
            connections.close_all()

    posting = threading.Thread(target=burst)
    posting.start()
    opened = []
    while posting.is_alive() and len(opened) < len(sessions):  # one after another, while updates are posted
        opened.append(await sockets.open(incident_path(incident), cookie=sessions[len(opened)]))
        await asyncio.sleep(0.01)
    await asyncio.to_thread(posting.join)
    last = first + updates

    starts = []
    for socket in opened:
        snapshot = await socket.receive(timeout=10)
        assert snapshot["type"] == "snapshot"
        seqs = [(await socket.receive(timeout=10))["seq"] for _ in range(last - snapshot["seq"])]
        assert seqs == list(range(snapshot["seq"] + 1, last + 1))
        assert await socket.nothing_more()
        starts.append(snapshot["seq"])
    assert any(first < start < last for start in starts), "no subscriber arrived during the burst"
