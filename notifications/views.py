"""The notification inbox page: your notifications, mark them read, choose your channels."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.kinds import KINDS
from notifications.models import DrillChoice

PAGE_SIZE = 30


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.notifications_for(user=request.user, unread=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for notification in page:
        notification.kind_label = KINDS.get(notification.kind, "")
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "notification_unread_count": selectors.unread_count(user=request.user),
            "preferences": selectors.preferences_for(user=request.user),
            "drill_choices": DrillChoice.choices,
            "drill_choice": selectors.drill_choice_for(user=request.user),
        },
    )


@login_required
@require_POST
def read(request, notification_id: int):
    """Marks it read, then follows its link (or returns to the inbox)."""
    notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, {request.get_host()}, request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notification-inbox")


@login_required
@require_POST
def read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("notification-inbox")


@login_required
@require_POST
def preferences(request):
    """The preferences form: one e-mail and one webhook checkbox per kind."""
    services.preferences_set_all(
        user=request.user,
        by=request.user,
        email_kinds={key.removeprefix("email:") for key in request.POST if key.startswith("email:")},
        webhook_kinds={key.removeprefix("webhook:") for key in request.POST if key.startswith("webhook:")},
        drills=request.POST.get("drills") if request.POST.get("drills") in DrillChoice.values else None,
    )
    return redirect("notification-inbox")
