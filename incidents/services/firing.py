"""Firing timers: claimed in the same transaction as their effect, many at a time.

The timers' incidents are locked first (in id order), then the timers themselves; only timers
still pending are claimed, so however many workers or deliveries reach the same timer, exactly
one fires it. If an effect fails, the claims roll back with it and the sweep tries again.
"""

import datetime as dt
import logging
from itertools import groupby
from operator import attrgetter

from django.db import transaction
from django.utils import timezone

from core.log_context import bind_incident
from incidents.models import Incident, Timer, TimerKind, TimerState
from incidents.services.cadence import update_timers_fire
from incidents.services.escalation import escalations_fire
from incidents.services.locking import incidents_lock
from incidents.services.tiers import tier_start
from incidents.transitions import LIVE_STATUSES

log = logging.getLogger(__name__)


def tier_starts_fire(*, timers: list[Timer], incidents: dict[int, Incident], now: dt.datetime) -> None:
    for timer in timers:
        incident = incidents[timer.incident_id]
        if (
            incident.status not in LIVE_STATUSES
            or incident.current_tier.starts_after >= timer.tier.starts_after
        ):
            continue  # resolved, or this tier (or a later one) was already started by hand
        tier_start(incident=incident, tier=timer.tier, started_at=timer.due_at, actor=None, now=now)


EFFECTS = {
    TimerKind.TIER_START: tier_starts_fire,
    TimerKind.ESCALATION: escalations_fire,
    TimerKind.UPDATE_DUE: update_timers_fire,
}


def timers_fire(*, timer_ids: list[int], now: dt.datetime | None = None) -> list[int]:
    """Fires those of the timers that are due and still pending, in due order; returns the ids
    this call fired."""
    now = now or timezone.now()
    due = Timer.objects.filter(pk__in=timer_ids, state=TimerState.PENDING, due_at__lte=now)
    with transaction.atomic():
        incidents = incidents_lock(set(due.values_list("incident_id", flat=True)))
        if not incidents:
            return []
        timers = list(
            due.filter(incident_id__in=list(incidents))
            .select_for_update(of=("self",))
            .select_related("tier")
            .order_by("due_at", "pk")
        )
        fired = [timer.pk for timer in timers]
        Timer.objects.filter(pk__in=fired).update(state=TimerState.FIRED, fired_at=now)
        if len(incidents) == 1:
            bind_incident(next(iter(incidents)))
        # Consecutive timers of one kind take effect together; the kinds keep their order.
        for kind, run in groupby(timers, key=attrgetter("kind")):
            EFFECTS[kind](timers=list(run), incidents=incidents, now=now)
    if timers:  # one line per batch: a minute of 10,000 timers writes a few hundred, not 10,000
        log.info(
            "fired %d timers of %d incidents, at most %.1f s late",
            len(timers),
            len({timer.incident_id for timer in timers}),
            max((now - timer.due_at).total_seconds() for timer in timers),
            extra={"timers": fired},
        )
    return fired
