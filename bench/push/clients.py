"""The receiving side of bench/push: many clients in one asyncio process, each noting when every
event reached it (time.time(), the clock the publisher stamps commits with).

Driven by run.py over stdin/stdout, one JSON line each way:
  in:  {"websockets": [url, ...], "headers": [{name: value} per url] (optional), "at_once": bool}
       or {"redis": url, "channel": name, "subscribers": n}
  out: "ready {"subscribed": [seconds per client], "refused": [close code per client]}" once
       every client has its snapshot (or is subscribed) or was closed before it: how long after
       the first began each took (at_once: every client opens at the same time; otherwise
       CONNECTING_AT_ONCE at a time)
  in:  {"expect": [seq, ...]}   after the last event was committed
  out: {"received": [[[seq, time], ...] per client]}   when all arrived, or once nothing more
       arrived for QUIET_SECONDS (what is missing then is lost, not late)
"""

import asyncio
import json
import sys
import time

import redis.asyncio as aioredis
import websockets

CONNECTING_AT_ONCE = 20
QUIET_SECONDS = 5


async def websocket_client(
    url: str, headers: dict, received: list, connecting: asyncio.Semaphore, refused: list
) -> None:
    async with connecting:
        socket = await websockets.connect(url, additional_headers=headers, open_timeout=60, max_size=None)
        try:
            await socket.recv()  # the snapshot
        except websockets.ConnectionClosed as closed:
            refused.append(closed.rcvd.code if closed.rcvd else None)
            return
    received.append(time.monotonic())  # when it was ready: always first
    async for text in socket:
        arrived = time.time()
        received.append((json.loads(text)["seq"], arrived))


async def redis_subscriber(url: str, channel: str, received: list) -> None:
    client = aioredis.Redis.from_url(url)
    pubsub = client.pubsub()
    await pubsub.subscribe(channel)
    await pubsub.get_message(timeout=10)  # the subscription's confirmation
    received.append(time.monotonic())
    async for message in pubsub.listen():
        if message["type"] == "message":
            arrived = time.time()
            received.append((json.loads(message["data"])["seq"], arrived))


def arrivals(received: list) -> list:
    return received[1:]


async def main() -> None:
    loop = asyncio.get_running_loop()
    order = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
    urls = order.get("websockets", [])
    connecting = asyncio.Semaphore(len(urls) if order.get("at_once") else CONNECTING_AT_ONCE)
    began, refused = time.monotonic(), []
    if urls:
        received = [[] for _ in urls]
        headers = order.get("headers") or [{}] * len(urls)
        tasks = [
            asyncio.create_task(websocket_client(url, header, into, connecting, refused))
            for url, header, into in zip(urls, headers, received, strict=True)
        ]
    else:
        received = [[] for _ in range(order["subscribers"])]
        tasks = [
            asyncio.create_task(redis_subscriber(order["redis"], order["channel"], into)) for into in received
        ]
    while sum(map(bool, received)) + len(refused) < len(received):
        failed = [task for task in tasks if task.done() and task.exception()]
        if failed:
            failed[0].result()  # raises what went wrong
        await asyncio.sleep(0.05)
    received = [into for into in received if into]
    subscribed = [into[0] - began for into in received]
    print("ready", json.dumps({"subscribed": subscribed, "refused": refused}), flush=True)

    expected = set(json.loads(await loop.run_in_executor(None, sys.stdin.readline))["expect"])
    count, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < QUIET_SECONDS:
        if all(expected <= {seq for seq, _ in arrivals(into)} for into in received):
            break
        if sum(map(len, received)) != count:
            count, quiet_since = sum(map(len, received)), time.monotonic()
        await asyncio.sleep(0.2)
    print(json.dumps({"received": [arrivals(into) for into in received]}), flush=True)
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main())
