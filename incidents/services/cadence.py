"""The status-update cadence: how often the commander owes an update, and what happens when none comes.

Each severity has a cadence (an administrator may change it: `UpdateCadence`; without a row,
DEFAULT_CADENCE). From the declaration, and again from each status update, the next update is
due one cadence later (plan time: in a drill divided by the clock rate), or sooner when the
person who posted promised it sooner, or, before the first update, when the playbook wants a
first statement sooner (the public-opinion plan's golden hours). Two durable timers on the
incident engine carry it: level 1 at the due time reminds the commander and the communications
lead; level 2, one more cadence period later, tells the executives that the update was missed.
A new update, a new severity, resolving or reopening plans them again.
"""

import datetime as dt
from collections import defaultdict

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents import happenings, telling
from incidents.models import (
    Incident,
    IncidentRole,
    RoleHolding,
    TimelineEntry,
    Timer,
    TimerKind,
    UpdateCadence,
)
from incidents.recipients import Directory
from incidents.services.timeline import timeline_extend
from incidents.services.timers import timers_cancel, timers_create
from incidents.transitions import LIVE_STATUSES
from notifications.services import Message, notify_all
from playbooks.schedule import scaled

M = dt.timedelta(minutes=1)
DEFAULT_CADENCE: dict[int, dt.timedelta | None] = {1: 30 * M, 2: 60 * M, 3: 240 * M, 4: None}

TITLES = {
    1: _("{incident}: a status update is due"),
    2: _("{incident}: a status update was missed (escalated to executives)"),
}


def cadence_for(severity: int) -> dt.timedelta | None:
    """Plan time between status updates at this severity; None when none are expected."""
    row = UpdateCadence.objects.filter(severity=severity).first()
    return row.interval if row else DEFAULT_CADENCE[severity]


def update_timers_plan(
    *,
    incident: Incident,
    since: dt.datetime,
    now: dt.datetime,
    first: bool = False,
    promised: dt.datetime | None = None,
) -> dt.datetime | None:
    """Replaces the incident's pending update timers (the caller holds it locked); returns the
    time the next update is due, or None when no update is expected."""
    timers_cancel(queryset=Timer.objects.filter(incident=incident, kind=TimerKind.UPDATE_DUE))
    if incident.status not in LIVE_STATUSES:
        return None
    window = cadence_for(incident.severity)
    first_window = incident.playbook.first_update_within if first else None
    if first_window and (window is None or first_window < window):
        window = first_window
    due_at = since + scaled(window, incident.clock_rate) if window else None
    if promised is not None and (due_at is None or promised < due_at):
        due_at = promised
    if due_at is None:
        return None
    due_at = max(due_at, now)
    timers = [Timer(kind=TimerKind.UPDATE_DUE, incident=incident, level=1, due_at=due_at)]
    if window:
        timers.append(
            Timer(
                kind=TimerKind.UPDATE_DUE,
                incident=incident,
                level=2,
                due_at=due_at + scaled(window, incident.clock_rate),
            )
        )
    timers_create(timers=timers, now=now)
    return due_at


def last_update_at(incident: Incident) -> dt.datetime | None:
    return (
        incident.timeline.filter(type=happenings.STATUS_UPDATE.timeline)
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )


def update_timers_replan(*, incident: Incident, now: dt.datetime) -> dt.datetime | None:
    """After the severity changed: the next update is due one new cadence after the last one."""
    last = last_update_at(incident)
    return update_timers_plan(
        incident=incident, since=last or incident.declared_at, now=now, first=last is None
    )


def communications_leads(incident_ids) -> dict[int, set]:
    holdings = RoleHolding.objects.filter(
        incident_id__in=incident_ids,
        role=IncidentRole.COMMUNICATIONS,
        ended_at=None,
        user__is_active=True,
    ).select_related("user")
    leads = defaultdict(set)
    for holding in holdings:
        leads[holding.incident_id].add(holding.user)
    return leads


def update_timers_fire(*, timers: list[Timer], incidents: dict[int, Incident], now: dt.datetime) -> None:
    """Fires claimed update timers: level 1 reminds the commander and the communications lead,
    level 2 tells the executives; each writes its timeline entry. A few queries per batch."""
    leads = communications_leads({timer.incident_id for timer in timers})
    directory = Directory()
    participants = telling.Participants(directory)
    updates = telling.latest_updates({timer.incident_id for timer in timers})
    messages, entries = [], defaultdict(list)
    for timer in timers:
        incident = incidents[timer.incident_id]
        if incident.status not in LIVE_STATUSES:
            continue  # claimed, and nothing to say
        people = {incident.commander, *leads[incident.pk]} if timer.level == 1 else directory.executives()
        happening = happenings.update_due_at(timer.level)
        messages.append(
            Message(
                recipients=people,
                kind=happening.notification,
                title=format_lazy(TITLES[timer.level], incident=incident.reader_title),
                body=telling.missed_update_body(incident=incident, now=now, latest=updates.get(incident.pk)),
                **telling.incident_fields(incident=incident, participants=participants.of(incident)),
            )
        )
        entries[incident.pk].append(
            TimelineEntry(
                type=happening.timeline,
                at=now,
                data={
                    "level": timer.level,
                    "due_at": timer.due_at.isoformat(),
                    "notified": sorted(person.pk for person in people),
                },
            )
        )
    if not messages:
        return
    notify_all(messages)
    for incident_id, incident_entries in entries.items():
        timeline_extend(incident=incidents[incident_id], entries=incident_entries)
