"""Writing audit entries: a snapshot of an object's fields, and one entry per change."""

import datetime as dt
import decimal
import uuid

from django.db import models
from django.utils import timezone

from audit.models import AuditEntry

# Written on every login or by scheduled jobs: not changes anybody made to the object.
BOOKKEEPING_FIELDS = {"last_login", "updated_at", "created_at", "review_reminded_for", "notified_at"}
# Never copied into the log; a change to them shows as "(hidden)" before and after.
SECRET_FIELDS = {"password"}
HIDDEN = "(hidden)"


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return None
    return value


def snapshot(instance: models.Model) -> dict:
    """The object's own fields as JSON values (foreign keys as ids), secrets hidden."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in BOOKKEEPING_FIELDS or field.primary_key:
            continue
        value = field.value_from_object(instance)
        values[field.attname] = HIDDEN if field.name in SECRET_FIELDS else _plain(value)
    return values


def raw_values(instance: models.Model) -> dict:
    """Like snapshot(), with secrets as they are: to tell whether they changed."""
    return {
        field.attname: _plain(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.name not in BOOKKEEPING_FIELDS and not field.primary_key
    }


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, from each side."""
    names = [name for name in after if before.get(name) != after[name]]
    return {name: before.get(name) for name in names}, {name: after[name] for name in names}


def audit_record(**entry) -> AuditEntry:
    """Adds one entry; the arguments are audit_entry()'s."""
    saved = audit_entry(**entry)
    saved.save()
    return saved


def audit_record_many(entries: list[AuditEntry]) -> None:
    """Adds entries made by audit_entry() in one statement (bulk writes such as an import)."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def audit_entry(
    *, actor, action: str, object_type: str, object_id, object_repr: str, before=None, after=None
) -> AuditEntry:
    """An unsaved entry, stamped now."""
    return AuditEntry(
        at=timezone.now(),
        actor=actor,
        actor_name=getattr(actor, "username", ""),
        object_type=object_type,
        object_id=str(object_id),
        object_repr=str(object_repr)[:300],
        action=action,
        before=before,
        after=after,
    )


def audit_entry_of(instance: models.Model, *, actor, action: str, before=None, after=None) -> AuditEntry:
    """An unsaved entry about a model instance."""
    return audit_entry(
        actor=actor,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
        object_repr=str(instance),
        before=before,
        after=after,
    )
