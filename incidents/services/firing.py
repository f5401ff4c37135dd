"""Firing a timer: claimed by a conditional UPDATE in the same transaction as its effect.

However many workers or deliveries reach the same timer, exactly one claims it; if the
effect fails, the claim rolls back with it and the sweep tries again.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, Timer, TimerKind, TimerState
from incidents.services.escalation import escalation_fire
from incidents.services.tiers import tier_start
from incidents.transitions import LIVE_STATUSES


def tier_start_fire(*, timer: Timer, incident: Incident, now: dt.datetime) -> None:
    if incident.status not in LIVE_STATUSES or incident.current_tier.starts_after >= timer.tier.starts_after:
        return  # resolved, or this tier (or a later one) was already started by hand
    tier_start(incident=incident, tier=timer.tier, started_at=timer.due_at, actor=None, now=now)


EFFECTS = {TimerKind.TIER_START: tier_start_fire, TimerKind.ESCALATION: escalation_fire}


def timer_fire(*, timer_id: int, now: dt.datetime | None = None) -> bool:
    """Fires the timer if it is due and still pending; True if this call fired it."""
    now = now or timezone.now()
    with transaction.atomic():
        timer = Timer.objects.select_related("tier").filter(pk=timer_id, state=TimerState.PENDING).first()
        if timer is None or timer.due_at > now:
            return False
        incident = (
            Incident.objects.select_for_update()
            .select_related("current_tier", "commander")
            .get(pk=timer.incident_id)
        )
        claimed = Timer.objects.filter(pk=timer_id, state=TimerState.PENDING).update(
            state=TimerState.FIRED, fired_at=now
        )
        if not claimed:
            return False
        EFFECTS[timer.kind](timer=timer, incident=incident, now=now)
        return True
