"""Admin pages of the incidents app: the organisation's status-update cadence per severity."""

from django.contrib import admin

from audit.admin import AuditedAdmin
from incidents.models import UpdateCadence


@admin.register(UpdateCadence)
class UpdateCadenceAdmin(AuditedAdmin, admin.ModelAdmin):
    """A severity without a row keeps the default (SEV1 30 min, SEV2 60 min, SEV3 4 h, SEV4 none)."""

    list_display = ["severity", "interval"]
    ordering = ["severity"]
