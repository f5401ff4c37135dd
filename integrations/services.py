"""Writes: integrations (their settings and secret) and their maintenance windows. What a
delivery does is in receiving.py."""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from integrations.models import ALERT_KINDS, Integration, Kind, MaintenanceWindow, Target
from integrations.paths import path_steps
from playbooks.selectors import playbook_current_published

INTEGRATION_FIELDS = [
    "name",
    "kind",
    "target",
    "active",
    "kri",
    "playbook",
    "severity",
    "commander",
    "group_by",
    "alert_task_title",
    "value_path",
    "time_path",
    "key_path",
    "ping_every",
]
# A heartbeat is expected at most this often.
SHORTEST_PING_EVERY = dt.timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(*, integration: Integration, token: str) -> bool:
    """Compared in constant time, whatever the token sent."""
    return hmac.compare_digest(token_digest(token or ""), integration.token_hash)


def _new_token(integration: Integration) -> str:
    token = secrets.token_urlsafe(32)
    integration.token_hash, integration.token_hint = token_digest(token), token[-4:]
    return token


def _check(integration: Integration) -> None:
    errors: dict[str, list[str]] = {}
    if not (integration.name or "").strip():
        errors["name"] = [_("A name is required.")]
    if integration.kind == Kind.HEARTBEAT:
        if integration.target != Target.KRI:
            errors["target"] = [_("A heartbeat feeds a key risk indicator: each missed ping is a reading.")]
        if integration.ping_every is None or integration.ping_every < SHORTEST_PING_EVERY:
            errors["ping_every"] = [_("Say how often the job pings: at least every minute.")]
    if integration.target == Target.KRI and integration.kri_id is None:
        errors["kri"] = [_("Choose the key risk indicator it feeds.")]
    if integration.target == Target.INCIDENT:
        if integration.playbook_id is None or not playbook_current_published(
            lineage=integration.playbook.lineage
        ):
            errors["playbook"] = [_("Choose a playbook with a published version.")]
        if integration.commander is None or not integration.commander.is_active:
            errors["commander"] = [_("The commander must be an active person.")]
        if not 1 <= (integration.severity or 0) <= 4:
            errors["severity"] = [_("Severity is 1 (the worst) to 4.")]
    if (
        integration.kind == Kind.GENERIC_JSON
        and integration.target == Target.KRI
        and not integration.value_path
    ):
        errors["value_path"] = [_("Say where the value is, e.g. $.value.")]
    for field in ("value_path", "time_path", "key_path"):
        if getattr(integration, field):
            try:
                path_steps(getattr(integration, field))
            except ValueError as error:
                errors[field] = [str(error)]
    if integration.group_by and integration.kind not in ALERT_KINDS:
        errors["group_by"] = [_("Only Alertmanager and Grafana alerts carry labels to group by.")]
    if integration.alert_task_title and integration.target != Target.INCIDENT:
        errors["alert_task_title"] = [_("Only an integration that opens incidents completes their tasks.")]
    if errors:
        raise ValidationError(errors)
    integration.full_clean(exclude=["kri", "playbook", "commander", "token_hash", "token_hint"])


@transaction.atomic
def integration_create(
    *,
    by,
    name: str,
    kind: str,
    target: str,
    kri=None,
    playbook=None,
    severity: int = 2,
    commander=None,
    risks: Sequence = (),
    group_by: str = "",
    alert_task_title: str = "",
    value_path: str = "",
    time_path: str = "",
    key_path: str = "",
    ping_every: dt.timedelta | None = None,
    active: bool = True,
) -> tuple[Integration, str]:
    """The new integration and its token, which is shown this once (only its digest is kept)."""
    integration = Integration(
        name=(name or "").strip(),
        kind=kind,
        target=target,
        active=active,
        kri=kri,
        playbook=playbook,
        severity=severity,
        commander=commander,
        group_by=group_by.strip(),
        alert_task_title=alert_task_title.strip(),
        value_path=value_path.strip(),
        time_path=time_path.strip(),
        key_path=key_path.strip(),
        ping_every=ping_every,
        created_by=by,
    )
    token = _new_token(integration)
    _check(integration)
    integration.save()
    integration.risks.set(risks)
    audit_record(integration, by=by, action=AuditAction.CREATED)
    return integration, token


@transaction.atomic
def integration_update(*, integration: Integration, by, changes: dict) -> Integration:
    locked = Integration.objects.select_for_update().get(pk=integration.pk)
    before = audit_values(locked)
    for field in INTEGRATION_FIELDS:
        if field in changes:
            value = changes[field]
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
    _check(locked)
    locked.save()
    if "risks" in changes:
        locked.risks.set(changes["risks"])
    audit_record(locked, by=by, action=AuditAction.UPDATED, before=before)
    return locked


@transaction.atomic
def integration_reset_token(*, integration: Integration, by) -> tuple[Integration, str]:
    """A new secret; the old one stops working at once. Returns the token, shown this once."""
    locked = Integration.objects.select_for_update().get(pk=integration.pk)
    before = audit_values(locked)
    token = _new_token(locked)
    locked.save(update_fields=["token_hash", "token_hint"])
    audit_record(locked, by=by, action=AuditAction.UPDATED, before=before)
    return locked, token


@transaction.atomic
def maintenance_window_add(
    *,
    integration: Integration,
    by,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    now: dt.datetime,
) -> MaintenanceWindow:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The window must end after it starts.")]
    elif ends_at <= now:
        errors["ends_at"] = [_("The window must end in the future.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why: people reading the delivery log will ask.")]
    if errors:
        raise ValidationError(errors)
    window = MaintenanceWindow.objects.create(
        integration=integration, starts_at=starts_at, ends_at=ends_at, reason=reason.strip(), created_by=by
    )
    audit_record(window, by=by, action=AuditAction.CREATED)
    return window
