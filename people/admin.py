from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from people.models import Membership, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "language"]
    fieldsets = UserAdmin.fieldsets + ((_("RiskOps"), {"fields": ["role", "timezone", "language"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("RiskOps"), {"fields": ["role", "email", "timezone", "language"]}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "escalation_contact"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    autocomplete_fields = ["escalation_contact"]
    inlines = [MembershipInline]
