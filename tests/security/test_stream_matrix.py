"""Every WebSocket stream × every kind of user: a snapshot for those who may watch it, else the
exact close code (4401 signed out, 4403 not theirs to see)."""

import json
import re

import pytest

from riskops.routing import websocket_urlpatterns
from tests.fixtures.world import KINDS

pytestmark = pytest.mark.django_db(transaction=True)

OPEN = "snapshot"

STREAMS = [
    # stream, the id it names, expected for: anonymous, insider, outsider, risk officer, executive, admin
    ("/ws/incidents/{}/", "incident", (4401, OPEN, 4403, OPEN, OPEN, OPEN)),
    ("/ws/teams/{}/", "team", (4401, OPEN, 4403, OPEN, OPEN, OPEN)),
    ("/ws/dashboard/", None, (4401, 4403, 4403, OPEN, OPEN, OPEN)),
    ("/ws/notifications/", None, (4401, OPEN, OPEN, OPEN, OPEN, OPEN)),
]


def test_every_stream_has_a_row():
    routes = {"/" + re.sub(r"<[^>]+>", "{}", str(route.pattern)) for route in websocket_urlpatterns}
    assert routes == {stream for stream, *_ in STREAMS}


@pytest.mark.parametrize(("stream", "ids", "expected"), STREAMS, ids=[stream for stream, *_ in STREAMS])
async def test_stream_matrix(stream, ids, expected, world, sockets):
    path = stream.format(world[ids]) if ids else stream
    observed = {}
    for kind in KINDS:
        socket = await sockets.open(path, user=world["users"][kind])
        if not socket.accepted:
            observed[kind] = socket.close_code
        else:
            output = await socket.communicator.receive_output(timeout=3)
            closed = output["type"] == "websocket.close"
            observed[kind] = output.get("code") if closed else json.loads(output["text"])["type"]
        await socket.disconnect()
    assert observed == dict(zip(KINDS, expected, strict=True))
