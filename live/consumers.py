"""The live streams: /ws/incidents/{id}/, /ws/teams/{id}/, /ws/dashboard/, and the bell's
/ws/notifications/ (the signed-in person's unread count).

Each connection is authenticated (session cookie or single-use ticket) and authorised per
stream, joins its groups, and only then reads its snapshot, so nothing committed in between is
missed. Events arrive already encoded and are forwarded as they are. Per incident, an event
whose seq was already sent is dropped, and one that arrives ahead of a missing seq is preceded
by the missing ones, read from the timeline: no duplicate, no gap, even when two processes
publish events of the same incident out of order.
"""

from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from core.instruments import WEBSOCKET_CONNECTIONS
from core.realtime import DASHBOARD_GROUP, bell_group, encode, incident_group, team_group, user_group
from live import permissions, selectors
from live.origin import ticket_of
from live.tickets import ticket_redeem
from notifications.bell import bell_states
from people.models import User
from people.selectors import people_active

UNAUTHENTICATED = 4401
FORBIDDEN = 4403
# Message types sent once per change to every receiver (see StreamConsumer.dispatch).
FORWARDED = {"incident.event", "bell.changed"}


@database_sync_to_async
def authenticate(scope) -> User | None:
    """The person behind a ticket, when one is given (the cookie is then ignored), or the session's."""
    ticket = ticket_of(scope)
    if ticket is not None:
        user_id = ticket_redeem(ticket=ticket)
        return people_active().filter(pk=user_id).first() if user_id else None
    user = scope.get("user")
    return user if user is not None and user.is_authenticated and user.is_active else None


class StreamConsumer(AsyncWebsocketConsumer):
    """What the three streams share; each says what it watches and what its snapshot is."""

    def stream_groups(self) -> list[str]:
        raise NotImplementedError

    def may_watch(self, user: User) -> bool:
        raise NotImplementedError

    def opening(self) -> list[str]:
        """The first messages (a snapshot first); sets self.sent to the seq each incident is at."""
        raise NotImplementedError

    async def connect(self):
        self.sent: dict[int, int] = {}
        self.joined: list[str] = []
        await self.accept()
        self.user = await authenticate(self.scope)
        if self.user is None:
            return await self.close(code=UNAUTHENTICATED)
        if not await database_sync_to_async(self.may_watch)(self.user):
            return await self.close(code=FORBIDDEN)
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.joined = [*self.stream_groups(), user_group(self.user.pk)]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        WEBSOCKET_CONNECTIONS.inc()
        for text in await database_sync_to_async(self.opening)():
            await self.send(text_data=text)

    async def disconnect(self, code):
        if self.joined:
            WEBSOCKET_CONNECTIONS.dec()
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """The streams are one-way; whatever a client sends is ignored."""

    async def dispatch(self, message):
        """Events are forwarded straight to their handler. Channels' own dispatch first hops to the
        database thread to close stale connections, for every message to every receiver: that hop
        cost more than the forwarding itself (bench/push), and these handlers only touch the
        database through database_sync_to_async, which closes stale connections around each call."""
        if message["type"] in FORWARDED:
            return await getattr(self, get_handler_name(message))(message)
        return await super().dispatch(message)

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

    def snapshot(self, *, seq: int, incident: int | None, data: dict) -> str:
        return encode(
            {"type": "snapshot", "seq": seq, "at": timezone.now(), "incident": incident, "data": data}
        )


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

    def opening(self):
        """The snapshot carries the seq the client continues from: its `since` (the events after
        it follow, though the state already includes them) or, without one, the latest."""
        last_seq, state = selectors.incident_snapshot(user=self.user, incident_id=self.incident_id)
        since = self.since()
        start = last_seq if since is None else min(since, last_seq)
        replay = selectors.timeline_events(incident_id=self.incident_id, after=start, before=last_seq + 1)
        self.sent[self.incident_id] = last_seq
        return [self.snapshot(seq=start, incident=self.incident_id, data=state), *(t for _, t in replay)]


class AggregateConsumer(StreamConsumer):
    """Streams of many incidents. `seq` is each incident's own timeline seq (increasing per
    incident within the stream); the snapshot gives every incident's current seq, and a client
    that reconnects gets a fresh snapshot."""

    def snapshot_data(self, now) -> dict:
        raise NotImplementedError

    def opening(self):
        data = self.snapshot_data(timezone.now())
        self.sent = {row["id"]: row["seq"] for row in data["incidents"]}
        return [self.snapshot(seq=0, incident=None, data=data)]


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

    def snapshot_data(self, now):
        return selectors.dashboard_snapshot(now=now)


class BellConsumer(StreamConsumer):
    """The signed-in person's unread count, for the bell in every page's header: a snapshot, then
    `notifications.unread` whenever it changes (`seq` counts the inbox's changes)."""

    def stream_groups(self):
        return [bell_group(self.user.pk)]

    def may_watch(self, user):
        return True

    def opening(self):
        state = bell_states(user_ids=[self.user.pk])[self.user.pk]
        return [self.snapshot(seq=state["seq"], incident=None, data={"unread": state["unread"]})]

    async def bell_changed(self, message):
        await self.send(text_data=message["text"])
