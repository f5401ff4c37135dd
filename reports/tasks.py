"""Celery tasks: a service does the work."""

from celery import shared_task
from django.utils import timezone

from reports.digests import digests_send_due


@shared_task(name="reports.send_due_digests")
def send_due_digests() -> int:
    return len(digests_send_due(now=timezone.now()))
