"""The live streams: /ws/incidents/{id}/, /ws/teams/{id}/, /ws/dashboard/, and the bell's
/ws/notifications/ (the signed-in person's unread count).

Each connection is authenticated (session cookie or single-use ticket) and authorised per
stream, joins its groups, and only then reads its snapshot, so nothing committed in between is
missed. Events arrive already encoded and are forwarded as they are. Per incident, an event
whose seq was already sent is dropped, and one that arrives ahead of a missing seq is preceded
by the missing ones, read from the timeline: no duplicate, no gap, even when two processes
publish events of the same incident out of order.
"""

import time
from urllib.parse import parse_qs

from channels.auth import get_user as channels_get_user
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from core.instruments import WEBSOCKET_CONNECTIONS
from core.realtime import (
    DASHBOARD_GROUP,
    bell_group,
    encode,
    encode_with_data,
    incident_group,
    team_group,
    user_group,
)
from incidents.models import Incident
from live import permissions, selectors
from live.origin import ticket_of
from live.snapshots import shared_snapshots
from live.tickets import ticket_redeem
from notifications.bell import bell_states
from people.models import User
from people.selectors import people_active

UNAUTHENTICATED = 4401
FORBIDDEN = 4403


def session_person(scope) -> User | None:
    """The session's person, on the database thread: Channels' own session check (the session's
    auth hash verified, the session flushed when it does not match), without the separate trip
    to the database thread its AuthMiddleware makes for every connection (riskops/asgi.py)."""
    user = channels_get_user.func(scope)
    return user if user.is_authenticated and user.is_active else None


class StreamConsumer(AsyncWebsocketConsumer):
    """What the three streams share; each says what it watches and what its snapshot is."""

    def stream_groups(self) -> list[str]:
        raise NotImplementedError

    def may_watch(self, user: User) -> bool:
        raise NotImplementedError

    def may_watch_at_once(self, user: User) -> bool:
        """True when the person may watch whatever the stream shows, known without asking the
        database (which may_watch may ask)."""
        return False

    def snapshot_messages(self) -> list[str]:
        """The first messages (a snapshot first), read on the database thread; sets self.sent to
        the seq each incident is at."""
        raise NotImplementedError

    async def opening(self, *, joined_at: float) -> list[str] | None:
        """The first messages, read after the stream's groups were joined (time.monotonic() then);
        None when there is nothing to watch."""
        return await database_sync_to_async(self.snapshot_messages)()

    def admission(self, ticket: str | None) -> int | None:
        """Sets self.user to the person behind the ticket, when one is given (the cookie is then
        ignored), else to the session's, and checks that they may watch: one trip to the database
        thread. None when admitted, else the code to close with."""
        if ticket is not None:
            user_id = ticket_redeem(ticket=ticket)
            self.user = people_active().filter(pk=user_id).first() if user_id else None
        else:
            self.user = session_person(self.scope)
        if self.user is None:
            return UNAUTHENTICATED
        return None if self.may_watch_at_once(self.user) or self.may_watch(self.user) else FORBIDDEN

    async def connect(self):
        self.sent: dict[int, int] = {}
        self.joined: list[str] = []
        await self.accept()
        ticket = ticket_of(self.scope)
        if ticket is None and getattr(self.scope.get("session"), "session_key", None) is None:
            return await self.close(code=UNAUTHENTICATED)  # neither: no trip to the database thread
        refused = await database_sync_to_async(self.admission)(ticket)
        if refused is not None:
            return await self.close(code=refused)
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.joined = [*self.stream_groups(), user_group(self.user.pk)]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        WEBSOCKET_CONNECTIONS.inc()
        opening = await self.opening(joined_at=time.monotonic())
        if opening is None:
            return await self.close(code=FORBIDDEN)
        for text in opening:
            await self.send(text_data=text)

    async def disconnect(self, code):
        if self.joined:
            WEBSOCKET_CONNECTIONS.dec()
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """The streams are one-way; whatever a client sends is ignored."""

    async def dispatch(self, message):
        """Every message goes straight to its handler. Channels' own dispatch first hops to the
        database thread to close stale connections, for every message: for each event to every
        receiver that hop cost more than the forwarding itself (bench/push), and for each
        connection it was one hop more in a reconnect storm. These handlers only touch the database
        through database_sync_to_async, which closes stale connections around each call."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def incident_event(self, message):
        incident_id, seq = message["incident"], message["seq"]
        last = self.sent.get(incident_id)
        if last is not None and seq <= last:
            return
        if last is not None and seq > last + 1:
            missed = await database_sync_to_async(selectors.timeline_events)(
                incident_id=incident_id, after=last, before=seq
            )
            for _, text in missed:
                await self.send(text_data=text)
        await self.send(text_data=message["text"])
        self.sent[incident_id] = seq

    async def live_access_changed(self, message):
        user = await database_sync_to_async(people_active().filter(pk=self.user.pk).first)()
        if user is None or not await database_sync_to_async(self.may_watch)(user):
            await self.close(code=FORBIDDEN)
            return
        self.user = user

    async def live_logged_out(self, message):
        if self.session_key is not None and message["session"] == self.session_key:
            await self.close(code=UNAUTHENTICATED)

    def snapshot(self, *, seq: int, incident: int | None, data: str) -> str:
        """The snapshot message of the state `data`, already encoded."""
        event = {"type": "snapshot", "seq": seq, "at": timezone.now(), "incident": incident}
        return encode_with_data(event, data)


class IncidentConsumer(StreamConsumer):
    """One incident. `seq` is its timeline's; `?since=<seq>` replays what the client missed."""

    def stream_groups(self):
        return [incident_group(self.incident_id)]

    @property
    def incident_id(self) -> int:
        return self.scope["url_route"]["kwargs"]["incident_id"]

    def since(self) -> int | None:
        values = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("since")
        if values and values[0].isdigit():
            return int(values[0])
        return None

    def may_watch(self, user):
        return permissions.may_watch_incident(user, self.incident_id)

    def may_watch_at_once(self, user):
        """Those who see everything may watch any incident; whether this one exists, its snapshot says."""
        return user.sees_everything

    async def opening(self, *, joined_at):
        """The snapshot carries the seq the client continues from: its `since` (the events after
        it follow, though the state already includes them) or, without one, the latest. The
        snapshot is shared with the incident's other subscribers (live/snapshots.py)."""
        try:
            snapshot = await shared_snapshots.snapshot(incident_id=self.incident_id, joined_at=joined_at)
        except Incident.DoesNotExist:
            return None
        last_seq, since = snapshot.seq, self.since()
        start = last_seq if since is None else min(since, last_seq)
        replay = []
        if start < last_seq:
            replay = await database_sync_to_async(selectors.timeline_events)(
                incident_id=self.incident_id, after=start, before=last_seq + 1
            )
        self.sent[self.incident_id] = last_seq
        return [
            self.snapshot(seq=start, incident=self.incident_id, data=snapshot.data),
            *(t for _, t in replay),
        ]


class AggregateConsumer(StreamConsumer):
    """Streams of many incidents. `seq` is each incident's own timeline seq (increasing per
    incident within the stream); the snapshot gives every incident's current seq, and a client
    that reconnects gets a fresh snapshot."""

    def snapshot_data(self, now) -> dict:
        raise NotImplementedError

    def snapshot_messages(self):
        data = self.snapshot_data(timezone.now())
        self.sent = {row["id"]: row["seq"] for row in data["incidents"]}
        return [self.snapshot(seq=0, incident=None, data=encode(data))]


class TeamConsumer(AggregateConsumer):
    """What is a team's now: incidents where the team appears in any RACI, and its open tasks."""

    @property
    def team_id(self) -> int:
        return self.scope["url_route"]["kwargs"]["team_id"]

    def stream_groups(self):
        return [team_group(self.team_id)]

    def may_watch(self, user):
        return permissions.may_watch_team(user, self.team_id)

    def snapshot_data(self, now):
        return selectors.team_snapshot(team_id=self.team_id, now=now)


class DashboardConsumer(AggregateConsumer):
    """Every incident, for executives, administrators and risk officers."""

    def stream_groups(self):
        return [DASHBOARD_GROUP]

    def may_watch(self, user):
        return permissions.may_watch_dashboard(user)

    def may_watch_at_once(self, user):
        return permissions.may_watch_dashboard(user)

    def snapshot_data(self, now):
        return selectors.dashboard_snapshot(now=now)


class BellConsumer(StreamConsumer):
    """The signed-in person's unread count, for the bell in every page's header: a snapshot, then
    `notifications.unread` whenever it changes (`seq` counts the inbox's changes)."""

    def stream_groups(self):
        return [bell_group(self.user.pk)]

    def may_watch(self, user):
        return True

    def may_watch_at_once(self, user):
        return True

    def snapshot_messages(self):
        state = bell_states(user_ids=[self.user.pk])[self.user.pk]
        return [self.snapshot(seq=state["seq"], incident=None, data=encode({"unread": state["unread"]}))]

    async def bell_changed(self, message):
        await self.send(text_data=message["text"])
