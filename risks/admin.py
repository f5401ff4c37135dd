"""Admin pages for the matrix (each save is a new version) and the categories."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdmin
from risks import services
from risks.models import Category, RiskMatrix


class RiskMatrixForm(forms.ModelForm):
    class Meta:
        model = RiskMatrix
        fields = ["likelihood", "impact", "levels", "grid", "appetite"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            services.matrix_validate(**{name: data[name] for name in self.Meta.fields})
        return data


@admin.register(RiskMatrix)
class RiskMatrixAdmin(admin.ModelAdmin):
    form = RiskMatrixForm
    list_display = ["version", "appetite", "created_at", "created_by"]
    readonly_fields = ["version", "created_at", "created_by"]
    fields = ["version", "likelihood", "impact", "levels", "grid", "appetite", "created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        """Saving never edits a version: it makes the next one, and existing scores keep theirs."""
        revised = services.matrix_revise(
            by=request.user,
            likelihood=obj.likelihood,
            impact=obj.impact,
            levels=obj.levels,
            grid=obj.grid,
            appetite=obj.appetite,
        )
        obj.pk, obj.version = revised.pk, revised.version
        if change:
            self.message_user(
                request, _("Saved as a new version: existing scores keep the version they were made on.")
            )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["key", "label_en", "label_zh", "position", "active", "appetite", "appetite_score"]
    list_editable = ["label_en", "label_zh", "position", "active"]
    search_fields = ["key", "label_en", "label_zh"]
    # Set on the appetite page (or the API), which judges the category's risks again.
    readonly_fields = ["appetite", "appetite_score"]

    def has_delete_permission(self, request, obj=None):
        return False
