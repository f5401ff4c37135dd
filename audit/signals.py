"""Audit of the register, people and teams, recorded as their rows are written.

These rows are written by services, by DRF model viewsets and by the Django admin alike, so the
one place that sees every write is the model's save and delete. The actor is the person behind
the request in flight (audit.actor). Playbooks are audited by their services instead, where the
whole plan (tiers, steps, RACI) is known before and after.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from audit.actor import current_actor
from audit.models import AuditAction
from audit.recording import BOOKKEEPING_FIELDS, audit_entry_of, changed, raw_values, snapshot

AUDITED_MODELS = [
    "risks.Risk",
    "risks.RiskMatrix",
    "risks.Category",
    "risks.TreatmentAction",
    "people.User",
    "people.Team",
    "people.Membership",
]


def _remember_before(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._audit_before = None
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    if stored is not None:
        instance._audit_before = (raw_values(stored), snapshot(stored))


def _record_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if created:
        _record(instance, AuditAction.CREATED, before=None, after=snapshot(instance))
        return
    remembered = getattr(instance, "_audit_before", None)
    if remembered is None:
        return
    before_raw, before_shown = remembered
    names = changed(before_raw, raw_values(instance))[1].keys()
    if names:
        after_shown = snapshot(instance)
        _record(
            instance,
            AuditAction.UPDATED,
            before={name: before_shown[name] for name in names},
            after={name: after_shown[name] for name in names},
        )


def _record_delete(sender, instance, **kwargs):
    _record(instance, AuditAction.DELETED, before=snapshot(instance), after=None)


def _record(instance, action, *, before, after):
    audit_entry_of(instance, actor=current_actor(), action=action, before=before, after=after).save()


def connect():
    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        uid = f"audit-{label}"
        pre_save.connect(_remember_before, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_record_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=f"{uid}-delete")
