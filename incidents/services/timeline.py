"""Appending to an incident's timeline: the one place where sequence numbers are handed out."""

import datetime as dt

from incidents import events
from incidents.models import Incident, TimelineEntry


def timeline_append(
    *, incident: Incident, type: str, at: dt.datetime, actor=None, data: dict | None = None
) -> TimelineEntry:
    """Writes the next entry. The caller holds the incident row locked, inside its transaction.

    The entry's live event is published after the transaction commits, never before.
    """
    incident.last_seq += 1
    Incident.objects.filter(pk=incident.pk).update(last_seq=incident.last_seq)
    entry = TimelineEntry.objects.create(
        incident=incident, seq=incident.last_seq, at=at, type=type, actor=actor, data=data or {}
    )
    events.publish_on_commit(entry)
    return entry
