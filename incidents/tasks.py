"""Celery tasks: thin wrappers, ids in, a service does the work."""

from celery import shared_task
from django.utils import timezone

from incidents import services


@shared_task(name="incidents.fire_timer", ignore_result=True)
def fire_timer(timer_id: int) -> bool:
    return services.timer_fire(timer_id=timer_id)


@shared_task(name="incidents.sweep_timers", ignore_result=True)
def sweep_timers() -> int:
    return services.timers_sweep(now=timezone.now())
