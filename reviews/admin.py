from django.contrib import admin

from audit.admin import AuditedAdmin
from reviews.models import FollowUpAction, PlaybookProposal, Review, RiskRating


class RiskRatingInline(admin.TabularInline):
    model = RiskRating
    extra = 0
    readonly_fields = [
        "risk",
        "decision",
        "likelihood",
        "impact",
        "residual_likelihood",
        "residual_impact",
        "note",
    ]


class FollowUpInline(admin.TabularInline):
    model = FollowUpAction
    extra = 0
    readonly_fields = ["due_reminded_at", "overdue_reminded_at"]


class ProposalInline(admin.TabularInline):
    model = PlaybookProposal
    extra = 0
    readonly_fields = ["used", "draft", "rationale", "diff", "proposed_by", "proposed_at"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Read-only: reviews change through their services (the API and the review page)."""

    list_display = ["incident", "status", "opened_at", "completed_at"]
    list_filter = ["status"]
    inlines = [RiskRatingInline, ProposalInline, FollowUpInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(FollowUpAction)
class FollowUpActionAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "owner", "due_at", "state", "due_reminded_at", "overdue_reminded_at"]
    list_filter = ["state"]
    search_fields = ["title"]
