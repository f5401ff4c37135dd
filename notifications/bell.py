"""The bell's live count: a person's open pages hear their unread count as soon as it changes.

After a change to people's inboxes commits (notifications received, notifications read), each
of them gets one message on their bell group (`/ws/notifications/`) with their unread count,
counted for all of them in one query. The stream's `seq` counts the changes to the inbox:
notifications received plus notifications read, so it only ever grows.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.broadcast import broadcaster
from core.realtime import bell_group, encode
from notifications.models import Notification


def bell_states(*, user_ids: list[int]) -> dict[int, dict]:
    """Per person: {"seq", "unread"} (people with no notification at all have seq 0)."""
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids)
        .values("recipient_id")
        .annotate(received=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
    )
    states = {user_id: {"seq": 0, "unread": 0} for user_id in user_ids}
    for row in rows:
        states[row["recipient_id"]] = {
            "seq": 2 * row["received"] - row["unread"],  # received + read
            "unread": row["unread"],
        }
    return states


def bell_ring_on_commit(*, user_ids: list[int]) -> None:
    """Once the transaction commits, each person's bells show their new unread count."""
    transaction.on_commit(lambda: _ring(user_ids))


def _ring(user_ids: list[int]) -> None:
    for user_id, state in bell_states(user_ids=user_ids).items():
        event = {
            "seq": state["seq"],
            "at": timezone.now(),
            "incident": None,
            "data": {"unread": state["unread"]},
        }
        text = encode({"type": "notifications.unread", **event})
        broadcaster.send([bell_group(user_id)], {"type": "bell.changed", "text": text})
