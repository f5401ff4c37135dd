from django.contrib import admin

from audit.admin import AuditedAdmin
from indicators.models import KRI, Breach, Reading


@admin.register(KRI)
class KRIAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "owner", "direction", "amber", "red", "on_red", "band", "last_measured_at"]
    list_filter = ["band", "on_red", "direction"]
    search_fields = ["name"]
    filter_horizontal = ["risks"]
    raw_id_fields = ["owner", "commander"]
    readonly_fields = ["band", "last_value", "last_measured_at"]


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    """Readings are evidence: shown, never edited here (post them through the API)."""

    list_display = ["kri", "measured_at", "value", "band", "recorded_by"]
    list_filter = ["band", "kri"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    list_display = ["kri", "state", "band", "opened_at", "red_at", "closed_at", "action", "incident"]
    list_filter = ["state", "band"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
