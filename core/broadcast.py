"""Sending channel-layer group messages from synchronous code, without waiting for Redis.

Services publish after their transaction commits, from request threads, Celery workers and
tests alike. `async_to_sync(layer.group_send)` would open connections on a fresh event loop
for every message (several milliseconds each) and refuses to run in a thread that already
has a running loop. Instead, each process keeps one event-loop thread with one connection
set; messages are queued to it and sent in the order they were queued. A Redis outage is
logged, never raised: clients resynchronise from the database.
"""

import asyncio
import atexit
import logging
import os
import threading

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

FLUSH_SECONDS_AT_EXIT = 2.0


class Broadcaster:
    def __init__(self):
        self._lock = threading.Lock()
        self._pid = None
        self._loop = None
        self._queue = None
        self._pending = 0
        self._idle = threading.Condition(self._lock)

    def send(self, groups: list[str], message: dict) -> None:
        """Queues `message` for every group; returns at once."""
        with self._lock:
            self._start_if_needed()
            self._pending += 1
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (groups, message))

    def flush(self, timeout: float) -> bool:
        """Waits until everything queued so far is sent (for process exit and tests)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def _start_if_needed(self) -> None:
        if self._pid == os.getpid():
            return
        # First use in this process (or after a fork, which does not copy threads).
        self._pid = os.getpid()
        self._pending = 0
        self._loop = asyncio.new_event_loop()
        self._queue = asyncio.Queue()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), name="broadcaster", daemon=True).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(ready.set)
        self._loop.run_until_complete(self._drain())

    async def _drain(self) -> None:
        layer = get_channel_layer()
        while True:
            groups, message = await self._queue.get()
            try:
                for group in groups:
                    await layer.group_send(group, message)
            except Exception:  # noqa: BLE001 - see the module's docstring
                logger.warning("could not send %s to %s", message.get("type"), groups, exc_info=True)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()


broadcaster = Broadcaster()
atexit.register(lambda: broadcaster._pid == os.getpid() and broadcaster.flush(FLUSH_SECONDS_AT_EXIT))
