"""Celery tasks of reviews: thin, a service does the work."""

from celery import shared_task
from django.utils import timezone

from reviews import services


@shared_task(name="reviews.remind_follow_ups", ignore_result=True)
def remind_follow_ups() -> int:
    """Beat runs this every minute: follow-ups that fell due or overdue, each reminder sent once."""
    return services.follow_ups_remind(now=timezone.now())
