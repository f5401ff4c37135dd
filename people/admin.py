from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdmin
from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from people.models import Membership, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(User)
class PersonAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "language"]
    fieldsets = UserAdmin.fieldsets + ((_("RiskOps"), {"fields": ["role", "timezone", "language"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("RiskOps"), {"fields": ["role", "email", "timezone", "language"]}),
    )

    def user_change_password(self, request, id, form_url=""):
        """The password page saves its form itself, not through save_model: recorded here."""
        with transaction.atomic():
            person = self.get_object(request, unquote(id))
            before = None if person is None else audit_values(person)
            response = super().user_change_password(request, id, form_url)
            if before is not None and request.method == "POST":
                person.refresh_from_db()
                audit_record(person, by=request.user, action=AuditAction.UPDATED, before=before)
        return response


@admin.register(Team)
class TeamAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "escalation_contact"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    autocomplete_fields = ["escalation_contact"]
    inlines = [MembershipInline]
