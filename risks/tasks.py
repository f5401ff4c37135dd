"""Celery tasks of the register: thin, ids in, a service does the work."""

from celery import shared_task

from risks import acceptances, importing, reminders


@shared_task(name="risks.remind_overdue")
def remind_overdue() -> dict:
    """Beat runs this: overdue reviews and treatment actions, each owner told once."""
    return {"reviews": reminders.reviews_remind_overdue(), "actions": reminders.actions_remind_overdue()}


@shared_task(name="risks.lapse_acceptances")
def lapse_acceptances() -> int:
    """Beat runs this: approved acceptances whose expiry has come lapse, each once."""
    return acceptances.acceptances_lapse_expired()


@shared_task(name="risks.run_import")
def run_import(job_id: int) -> None:
    importing.import_job_run(job_id=job_id)
