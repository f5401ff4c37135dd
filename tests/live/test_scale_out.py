"""Scale-out: two ASGI processes, two Celery workers and beat on one Redis and one database.

A drill at clock rate 3600 is declared and worked through the second process's API while the
workers fire its timers (tier 1's task overdue at 2 s and escalated at 3 s and 4 s, tier 2 at
6 s). Clients on either process get every event of the drill, in order, with no gap and no
duplicate, whichever process published it.
"""

import json
import threading
from contextlib import ExitStack

import pytest
from websockets.exceptions import ConnectionClosed

from incidents.events import event_from_entry
from incidents.models import TimelineEntry
from tests.processes import wait_until
from tests.servers import Script, declare_drill

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PATIENCE = 60  # seconds any one step may take on a loaded machine; never waited when all is well


class Listener:
    """Reads a stream in a thread and keeps what it received."""

    def __init__(self, socket):
        self.socket = socket
        self.messages: list[dict] = []
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            for text in self.socket:
                with self.changed:
                    self.messages.append(json.loads(text))
                    self.changed.notify_all()
        except ConnectionClosed:
            pass

    def events_of(self, incident_id: int) -> list[tuple[int, str]]:
        with self.changed:
            return [
                (m["seq"], m["type"])
                for m in self.messages
                if m["incident"] == incident_id and m["type"] != "snapshot"
            ]

    def wait_for(self, incident_id: int, event_type: str) -> bool:
        with self.changed:
            return self.changed.wait_for(
                lambda: any(m["incident"] == incident_id and m["type"] == event_type for m in self.messages),
                timeout=PATIENCE,
            )


@pytest.fixture
def listen():
    """`listen(script, path, query)` → a Listener on a stream; all closed afterwards."""
    with ExitStack() as opened:
        yield lambda script, path, query="": Listener(opened.enter_context(script.stream(path, query)))


def test_every_event_reaches_clients_on_both_processes_in_order(
    redis, workers, asgi_servers, listen, playbook, cast
):
    first = asgi_servers.start(redis_url=redis.url)
    second = asgi_servers.start(redis_url=redis.url)
    officer, commander = Script.of(second, cast["officer"]), Script.of(second, cast["commander"])
    assert wait_until(lambda: officer.call("GET", "/healthz")[0] == 200, timeout=PATIENCE, stack=workers)

    ceo_on_first, ceo_on_second = Script.of(first, cast["ceo"]), Script.of(second, cast["ceo"])
    dashboards = [listen(ceo_on_first, "/ws/dashboard/"), listen(ceo_on_second, "/ws/dashboard/")]
    drill = declare_drill(officer, playbook, cast["commander"])
    path = f"/ws/incidents/{drill['id']}/"
    rooms = [listen(ceo_on_first, path, "since=0"), listen(ceo_on_second, path, "since=0")]
    listeners = dashboards + rooms

    assert dashboards[0].wait_for(drill["id"], "incident.tier_changed"), workers.log("one")[-3000:]
    tasks = {task["tier"]: task["id"] for task in drill["tasks"]}
    Script.of(second, cast["buyer"]).post(f"/api/v1/tasks/{tasks['T1']}/complete/", {"note": "pool on"})
    Script.of(second, cast["pr_lead"]).post(f"/api/v1/tasks/{tasks['T2']}/acknowledge/")
    commander.post(f"/api/v1/incidents/{drill['id']}/updates/", {"body": "Backup supplier delivering."})
    commander.post(f"/api/v1/incidents/{drill['id']}/resolve/")
    for listener in listeners:
        assert listener.wait_for(drill["id"], "incident.resolved"), listener.messages

    timeline = [
        (event["seq"], event["type"])
        for event in map(
            event_from_entry, TimelineEntry.objects.filter(incident_id=drill["id"]).order_by("seq")
        )
    ]
    assert [seq for seq, _ in timeline] == list(range(1, len(timeline) + 1))
    kinds = {kind for _, kind in timeline}
    assert {"incident.declared", "task.overdue", "escalation.fired", "incident.tier_changed"} <= kinds
    assert {"task.updated", "timeline.appended", "incident.resolved"} <= kinds
    for listener in listeners:
        assert listener.events_of(drill["id"]) == timeline
    for listener in rooms:
        assert listener.messages[0]["type"] == "snapshot" and listener.messages[0]["seq"] == 0
