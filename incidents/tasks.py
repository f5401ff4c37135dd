"""Celery tasks: thin wrappers, ids in, a service does the work."""

from celery import shared_task
from django.utils import timezone

from incidents import services


@shared_task(name="incidents.fire_timers", ignore_result=True)
def fire_timers(timer_ids: list[int]) -> int:
    return len(services.timers_fire(timer_ids=timer_ids))


@shared_task(name="incidents.sweep_timers", ignore_result=True)
def sweep_timers() -> int:
    return services.timers_sweep(now=timezone.now())


@shared_task(name="incidents.sweep_on_call", ignore_result=True)
def sweep_on_call() -> int:
    return services.on_call_sweep(now=timezone.now())
