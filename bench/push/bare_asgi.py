"""The floor of bench/push's reconnect storm: an ASGI application that accepts every WebSocket
and sends it one fixed snapshot of BENCH_SNAPSHOT_BYTES (no Django, no database, no Redis)."""

import json
import os

SNAPSHOT = json.dumps({"type": "snapshot", "seq": 0, "data": "x" * int(os.environ["BENCH_SNAPSHOT_BYTES"])})


async def application(scope, receive, send):
    if scope["type"] != "websocket":
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": SNAPSHOT})
    while (await receive())["type"] != "websocket.disconnect":
        pass
