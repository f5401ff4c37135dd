from django.contrib import admin

from audit.models import AuditAction, AuditEntry
from audit.recording import audit_record, audit_values


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: entries are added by the system, never by hand, and never changed or removed."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin:
    """A ModelAdmin mixin: what an administrator adds, changes or deletes on these pages (and in
    their inline rows) is recorded with the administrator as the actor, in the admin's transaction."""

    def save_model(self, request, obj, form, change):
        before = _stored_values(obj) if change else None
        super().save_model(request, obj, form, change)
        action = AuditAction.UPDATED if change else AuditAction.CREATED
        audit_record(obj, by=request.user, action=action, before=before)

    def delete_model(self, request, obj):
        audit_record(obj, by=request.user, action=AuditAction.DELETED)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(obj, by=request.user, action=AuditAction.DELETED)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        stored = {
            obj.pk: audit_values(obj)
            for obj in formset.model._base_manager.filter(
                pk__in=[row.instance.pk for row in formset.forms if row.instance.pk is not None]
            )
        }
        saved = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_record(obj, by=request.user, action=AuditAction.DELETED)
            obj.delete()
        for obj in saved:
            before = stored.get(obj.pk)
            obj.save()
            action = AuditAction.CREATED if before is None else AuditAction.UPDATED
            audit_record(obj, by=request.user, action=action, before=before)
        formset.save_m2m()


def _stored_values(obj) -> dict | None:
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    return None if stored is None else audit_values(stored)
