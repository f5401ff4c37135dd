"""Integrations in the admin, to look at: they change on their pages, through the services
(which keep the audit log and show a new token once)."""

from django.contrib import admin

from integrations.models import Delivery, Integration, MaintenanceWindow


class LookOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Integration)
class IntegrationAdmin(LookOnly):
    list_display = ["name", "kind", "target", "active", "refused_count"]
    list_filter = ["kind", "target", "active"]
    exclude = ["token_hash"]


@admin.register(Delivery)
class DeliveryAdmin(LookOnly):
    list_display = ["integration", "received_at", "outcome", "http_status", "alerts"]
    list_filter = ["outcome"]


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(LookOnly):
    list_display = ["integration", "starts_at", "ends_at", "reason"]
