"""Reads of the audit log."""

from django.db.models import Max

from audit.models import AuditEntry


def last_entry() -> int | None:
    """The id of the newest entry: it moves with every change to the register, playbooks, people
    and teams, which all write one (pages kept by what they show are kept by it)."""
    return AuditEntry.objects.aggregate(last=Max("pk"))["last"]
