"""Celery tasks of the integrations: thin, a service does the work."""

from celery import shared_task

from integrations.heartbeats import heartbeats_check


@shared_task(name="integrations.check_heartbeats")
def check_heartbeats() -> list[int]:
    """Beat runs this: each heartbeat whose ping did not come, its missed pings recorded once."""
    return heartbeats_check()
