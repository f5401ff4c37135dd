"""Celery tasks of the project itself."""

import logging

from celery import shared_task

from riskops.retention import expired_data_purge

log = logging.getLogger(__name__)


@shared_task(name="riskops.purge_expired_data", ignore_result=True)
def purge_expired_data() -> dict[str, int]:
    purged = expired_data_purge()
    log.info("purged expired data: %s", purged, extra={"purged": purged})
    return purged
