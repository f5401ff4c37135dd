"""The incident snapshots that subscribers share, so that a reconnect storm reads an incident once.

After a deploy every browser of an incident's war room opens its stream again at the same moment;
each used to read and serialise the same incident for itself. A process now keeps, per incident,
the last snapshot it built (encoded, with the seq it was read at), and a subscriber may use it
once the incident's seq has been read, after the subscriber joined its groups, and found the
same: every change of an incident writes a timeline entry in the same transaction (one writer per
state), so the same seq is the same state, and every event after it is published after that
read, so after the subscriber joined, and reaches it.

One read (of the seq, or of the whole snapshot when the seq moved) serves every subscriber that
joined before it began: subscribers arriving together wait for the same read, and only one trip
to the database thread is made for all of them. A snapshot older than MAX_AGE_SECONDS is built
again, so a change written without a timeline entry (in the Django admin) reaches new subscribers
too. The state is the same for everyone who may watch the incident, so one snapshot serves all.
"""

import asyncio
import dataclasses
import threading
import time

from channels.db import database_sync_to_async

from core.realtime import encode
from incidents.selectors import incident_last_seq
from live import selectors

MAX_AGE_SECONDS = 1.0


@dataclasses.dataclass(frozen=True)
class Snapshot:
    seq: int
    data: str  # the state, encoded
    built_at: float  # time.monotonic() when the reading of its state began
    confirmed_at: float  # when the latest reading that found its seq current began


class SharedSnapshots:
    """Per process: each incident's latest snapshot and the read in flight, if any."""

    def __init__(self):
        self._latest: dict[int, Snapshot] = {}
        self._lock = threading.Lock()
        self._reading: dict[int, asyncio.Future] = {}

    async def snapshot(self, *, incident_id: int, joined_at: float) -> Snapshot:
        """A snapshot read after `joined_at` (time.monotonic() once the subscriber had joined its
        groups); Incident.DoesNotExist when there is no such incident."""
        while True:
            with self._lock:
                latest = self._latest.get(incident_id)
            if latest is not None and latest.confirmed_at >= joined_at:
                return latest
            reading = self._reading.get(incident_id)
            if reading is None or reading.done() or reading.get_loop() is not asyncio.get_running_loop():
                reading = asyncio.ensure_future(database_sync_to_async(self.read)(incident_id))
                reading.add_done_callback(lambda done: self._forget(incident_id, done))
                self._reading[incident_id] = reading
            # Shielded: a subscriber that goes away does not cancel the others' read.
            snapshot = await asyncio.shield(reading)
            if snapshot.confirmed_at >= joined_at:
                return snapshot

    def _forget(self, incident_id: int, reading: asyncio.Future) -> None:
        if self._reading.get(incident_id) is reading:
            del self._reading[incident_id]

    def read(self, incident_id: int) -> Snapshot:
        """Confirms the latest snapshot (its seq is still the incident's) or builds a new one."""
        now = time.monotonic()
        with self._lock:
            latest = self._latest.get(incident_id)
        if (
            latest is not None
            and now - latest.built_at < MAX_AGE_SECONDS
            and incident_last_seq(incident_id=incident_id) == latest.seq
        ):
            snapshot = dataclasses.replace(latest, confirmed_at=now)
        else:
            seq, state = selectors.incident_snapshot(incident_id=incident_id)
            snapshot = Snapshot(seq=seq, data=encode(state), built_at=now, confirmed_at=now)
        with self._lock:
            for stale in [
                key for key, kept in self._latest.items() if now - kept.built_at >= MAX_AGE_SECONDS
            ]:
                del self._latest[stale]
            self._latest[incident_id] = snapshot
        return snapshot


shared_snapshots = SharedSnapshots()
