"""Celery tasks: beat's sweeps, each a service given the clock's now."""

from celery import shared_task
from django.utils import timezone

from oncall.hand_offs import hand_offs_tell
from oncall.lookout import warnings_send


@shared_task(name="oncall.tell_hand_offs", acks_late=True)
def tell_hand_offs() -> int:
    return hand_offs_tell(now=timezone.now())


@shared_task(name="oncall.warn_ahead", acks_late=True)
def warn_ahead() -> int:
    return warnings_send(now=timezone.now())
