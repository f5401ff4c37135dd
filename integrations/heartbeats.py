"""A heartbeat that stops: beat runs heartbeats_check every minute. Each period with no ping is
recorded once as a reading of the heartbeat's KRI (how many pings in a row are missing), so the
KRI's bands and breach act, and a red breach acts once, as for any reading. A ping records 0."""

import datetime as dt
import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from indicators.services import ReadingInput, ReadingsRejected, readings_record
from integrations.models import Delivery, Integration, Kind, Outcome
from integrations.receiving import maintenance_now
from integrations.words import Words


def heartbeats_check(*, now: dt.datetime | None = None) -> list[int]:
    """Records the missed pings of every heartbeat; returns the integrations recorded now. The claim
    is a conditional update, so a repeated or concurrent run records nothing twice."""
    now = now or timezone.now()
    recorded = []
    heartbeats = Integration.objects.filter(
        kind=Kind.HEARTBEAT, active=True, ping_every__isnull=False, kri__isnull=False
    ).select_related("kri")
    for integration in heartbeats:
        since = integration.last_ping_at or integration.created_at
        missed = math.floor((now - since) / integration.ping_every)
        if missed <= integration.missed_pings_recorded:
            continue
        with transaction.atomic():
            claimed = Integration.objects.filter(
                pk=integration.pk,
                missed_pings_recorded=integration.missed_pings_recorded,
                last_ping_at=integration.last_ping_at,
            ).update(missed_pings_recorded=missed)
            if claimed:
                _record_missed(integration, missed, since + missed * integration.ping_every, now)
                recorded.append(integration.pk)
    return recorded


def _record_missed(integration: Integration, missed: int, due: dt.datetime, now: dt.datetime) -> None:
    fields = {"integration": integration, "received_at": now, "value": missed, "http_status": 0}
    window = maintenance_now(integration=integration, now=now)
    if window is not None:
        reason = Words(gettext_noop("Maintenance window: %(reason)s"), reason=window.reason)
        Delivery.objects.create(outcome=Outcome.HELD, why=[reason.as_json()], **fields)
        return
    try:
        [result] = readings_record(
            entries=[ReadingInput(kri=integration.kri, value=missed, measured_at=due)], by=None, now=now
        )
    except ReadingsRejected as rejected:
        errors = " ".join(m for errors in rejected.errors.values() for ms in errors.values() for m in ms)
        reason = Words(gettext_noop("The missed ping could not be recorded: %(errors)s"), errors=errors)
        Delivery.objects.create(outcome=Outcome.REJECTED, why=[reason.as_json()], **fields)
        return
    breach = result.breach
    Delivery.objects.create(
        outcome=Outcome.MISSED,
        why=[Words(gettext_noop("No ping for %(count)d period(s) in a row."), count=missed).as_json()],
        incident=breach.incident if breach else None,
        opened_incident=bool(breach and breach.incident_id and breach.red_at == due),
        **fields,
    )
