from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from notifications import services
from notifications.models import Delivery, Notification, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "service", "team", "user", "active"]
    list_filter = ["service", "active"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["team", "user"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "endpoint", "state", "attempts", "last_error", "sent_at"]
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "incident_id", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = ["recipient", "kind", "title", "body", "url", "incident_id", "created_at", "read_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "endpoint", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the failed ones again"))
    def send_again(self, request, queryset):
        delivery_ids = services.deliveries_retry_failed(
            delivery_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request, _("%(count)d deliveries queued again.") % {"count": len(delivery_ids)}, messages.SUCCESS
        )
