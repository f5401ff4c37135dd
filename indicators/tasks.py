"""Celery tasks of the KRIs: thin, a service does the work."""

from celery import shared_task

from indicators import services


@shared_task(name="indicators.flag_missing_readings")
def flag_missing_readings() -> list[int]:
    """Beat runs this: each KRI whose expected reading did not come, its owner told once per period."""
    return services.kris_flag_missing()
