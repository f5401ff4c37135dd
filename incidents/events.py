"""Live events: one per timeline entry, encoded once, published after commit.

An incident stream's `seq` is the timeline's `seq`, so a client that missed events can be
given them again from the timeline, with no gap and no duplicate.
"""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

logger = logging.getLogger(__name__)

# Timeline entry type → the contract's event type.
EVENT_TYPES = {
    "incident.declared": "incident.declared",
    "incident.stabilized": "incident.updated",
    "incident.reopened": "incident.updated",
    "incident.closed": "incident.updated",
    "incident.resolved": "incident.resolved",
    "tier.changed": "incident.tier_changed",
    "task.acknowledged": "task.updated",
    "task.completed": "task.updated",
    "task.skipped": "task.updated",
    "task.reassigned": "task.updated",
    "task.overdue": "task.overdue",
    "escalation.fired": "escalation.fired",
    "status.update": "timeline.appended",
}

DASHBOARD_GROUP = "dashboard"


def incident_group(incident_id: int) -> str:
    return f"incident.{incident_id}"


def event_from_entry(entry) -> dict:
    return {
        "type": EVENT_TYPES.get(entry.type, "timeline.appended"),
        "seq": entry.seq,
        "at": entry.at,
        "incident": entry.incident_id,
        "data": {**entry.data, "entry": entry.type},
    }


def encode(event: dict) -> str:
    return json.dumps(event, cls=DjangoJSONEncoder, ensure_ascii=False)


def publish_on_commit(entry) -> None:
    transaction.on_commit(lambda: publish(entry.incident_id, encode(event_from_entry(entry))))


def publish(incident_id: int, text: str) -> None:
    """Sends one encoded event to everyone watching; a Redis outage is logged, never raised."""
    layer = get_channel_layer()
    message = {"type": "incident.event", "incident": incident_id, "text": text}

    async def send_all():
        for group in (incident_group(incident_id), DASHBOARD_GROUP):
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:  # noqa: BLE001 - clients resync from the timeline; the change is committed
        logger.warning("could not publish an event of incident %s", incident_id, exc_info=True)
