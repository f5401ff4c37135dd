"""Writing audit entries: a snapshot of an object's fields, and one entry per change."""

import datetime as dt
import decimal
import uuid

from django.db import models
from django.utils import timezone
from django.utils.duration import duration_iso_string

from audit.models import AuditAction, AuditEntry

# Written on every login or by scheduled jobs: not changes anybody made to the object.
BOOKKEEPING_FIELDS = {"last_login", "updated_at", "created_at", "review_reminded_for", "notified_at"}
# Never copied into the log; a change to them shows as "(hidden)" before and after.
SECRET_FIELDS = {"password", "token_hash"}
HIDDEN = "(hidden)"


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return None
    return value


def snapshot(instance: models.Model) -> dict:
    """The object's own fields as JSON values (foreign keys as ids), secrets hidden."""
    return _shown(audit_values(instance))


def audit_values(instance: models.Model) -> dict:
    """The object's audited fields as they are, secrets included: taken before a change, to tell
    afterwards which fields it changed."""
    return {
        field.attname: _plain(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.name not in BOOKKEEPING_FIELDS and not field.primary_key
    }


def _shown(values: dict) -> dict:
    return {name: HIDDEN if name in SECRET_FIELDS else value for name, value in values.items()}


def audit_record(
    instance: models.Model,
    *,
    by,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    into: list | None = None,
) -> AuditEntry | None:
    """Records one audited write of `instance` by `by`; called by the service that makes the change,
    in its transaction.

    Created: `after` is the whole object. Deleted: `before` is the whole object. Any other action
    without an explicit `after`: `before` is audit_values() taken before the change, and only the
    fields that changed are kept (no entry if none did). Given `after`, the entry says what it is
    told (a playbook's whole plan). Given `into`, the entry is added to that list instead of saved,
    for audit_record_many() (bulk writes such as an import).
    """
    if action == AuditAction.CREATED and after is None:
        after = snapshot(instance)
    elif action == AuditAction.DELETED and before is None:
        before = snapshot(instance)
    elif after is None:
        current = audit_values(instance)
        names = [name for name in current if (before or {}).get(name) != current[name]]
        if not names:
            return None
        before = _shown({name: (before or {}).get(name) for name in names})
        after = _shown({name: current[name] for name in names})
    entry = AuditEntry(
        at=timezone.now(),
        actor=by,
        actor_name=getattr(by, "username", ""),
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        before=before,
        after=after,
    )
    if into is not None:
        into.append(entry)
    else:
        entry.save()
    return entry


def audit_record_many(entries: list[AuditEntry]) -> None:
    """Adds in one statement the entries audit_record() collected with `into`."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
