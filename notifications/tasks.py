"""Celery tasks: ids in, a service does the work."""

from celery import shared_task
from django.utils import timezone

from notifications import repeats, services


@shared_task(
    name="notifications.deliver",
    acks_late=True,
    autoretry_for=(services.DeliveryFailed,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    # The delivery row counts the attempts and stops at MAX_ATTEMPTS; this is only a bound.
    max_retries=services.MAX_ATTEMPTS,
)
def deliver(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(name="notifications.requeue_stalled_deliveries")
def requeue_stalled_deliveries() -> int:
    return len(services.deliveries_requeue_stalled())


@shared_task(name="notifications.repeat_unacknowledged", acks_late=True)
def repeat_unacknowledged() -> int:
    return repeats.repeats_fire(now=timezone.now())
