"""Data retention: what is deleted after how long (RISKOPS_*_RETENTION_DAYS; 0 keeps it forever).

Only data that is not a record is ever deleted: notifications that were read and delivered, and
old KRI readings. Incidents, their timelines, risks and their history are kept for good.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from indicators.services import readings_purge
from notifications.services import notifications_purge

# A KRI always keeps this many of its newest readings, however old.
READINGS_ALWAYS_KEPT = 100


def expired_data_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Deletes what is past its retention period; returns how many of each kind were deleted."""
    now = now or timezone.now()
    purged = {}
    if days := settings.NOTIFICATION_RETENTION_DAYS:
        purged["notifications"] = notifications_purge(before=now - dt.timedelta(days=days))
    if days := settings.READING_RETENTION_DAYS:
        purged["readings"] = readings_purge(
            before=now - dt.timedelta(days=days), keep_latest=READINGS_ALWAYS_KEPT
        )
    return purged
