"""Live events: one per timeline entry, encoded once, published after commit.

An incident stream's `seq` is the timeline's `seq`, so a client that missed events can be
given them again from the timeline, with no gap and no duplicate.
"""

from django.db import transaction

from core.broadcast import broadcaster
from core.realtime import DASHBOARD_GROUP, encode, incident_group, team_group
from incidents.happenings import DEFAULT_EVENT_TYPE, EVENT_TYPES
from incidents.models import TaskAssignment


def event_from_entry(entry) -> dict:
    return {
        "type": EVENT_TYPES.get(entry.type, DEFAULT_EVENT_TYPE),
        "seq": entry.seq,
        "at": entry.at,
        "incident": entry.incident_id,
        "data": {**entry.data, "entry": entry.type},
    }


def publish_on_commit(incident_id: int, entries: list) -> None:
    """The entries' events, in seq order, once the transaction commits."""
    texts = [(entry.seq, encode(event_from_entry(entry))) for entry in entries]
    transaction.on_commit(lambda: publish(incident_id, texts))


def teams_involved(incident_id: int) -> list[int]:
    """Teams named in any RACI of the incident's tasks: their team streams get its events."""
    assignments = TaskAssignment.objects.filter(task__incident_id=incident_id, team__isnull=False)
    return sorted(set(assignments.values_list("team_id", flat=True)))


def publish(incident_id: int, texts: list[tuple[int, str]]) -> None:
    """Sends encoded events (seq, text) to everyone watching; a Redis outage is logged, never raised.

    Each message carries `seq` beside the encoded text so that receivers put events in order
    without decoding them.
    """
    groups = [incident_group(incident_id), DASHBOARD_GROUP]
    groups += [team_group(team_id) for team_id in teams_involved(incident_id)]
    for seq, text in texts:
        broadcaster.send(
            groups, {"type": "incident.event", "incident": incident_id, "seq": seq, "text": text}
        )
