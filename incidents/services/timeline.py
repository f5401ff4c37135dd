"""Appending to an incident's timeline: the one place where sequence numbers are handed out."""

import datetime as dt

from incidents import events
from incidents.models import Incident, TimelineEntry


def timeline_append(
    *, incident: Incident, type: str, at: dt.datetime, actor=None, data: dict | None = None
) -> TimelineEntry:
    """Writes the next entry. The caller holds the incident row locked, inside its transaction."""
    entry = TimelineEntry(type=type, at=at, actor=actor, data=data or {})
    return timeline_extend(incident=incident, entries=[entry])[0]


def timeline_extend(*, incident: Incident, entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Writes unsaved entries as the next ones, in order, with one UPDATE and one INSERT.

    The caller holds the incident row locked, inside its transaction. The entries' live events
    are published after the transaction commits, never before.
    """
    for entry in entries:
        incident.last_seq += 1
        entry.incident = incident
        entry.seq = incident.last_seq
    Incident.objects.filter(pk=incident.pk).update(last_seq=incident.last_seq)
    TimelineEntry.objects.bulk_create(entries)
    events.publish_on_commit(incident.pk, entries)
    return entries
