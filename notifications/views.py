"""The notification inbox page: your notifications, mark them read, choose your channels."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from notifications import rules, selectors, services
from notifications.kinds import KINDS
from notifications.models import DrillChoice, SubscriptionScope

PAGE_SIZE = 30


@login_required
def inbox(request):
    return _inbox(request)


def _inbox(request, *, rule_form: dict | None = None, status: int = 200):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.notifications_for(user=request.user, unread=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for notification in page:
        notification.kind_label = KINDS.get(notification.kind, "")
    rule = rules.rule_for(user=request.user)
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
            "rule": rule_form
            or {
                "repeat_minutes": rule.repeat_minutes or "",
                "email": rule.email,
                "chat": rule.chat,
                "errors": {},
            },
            **_subscriptions_context(request.user),
        },
        status=status,
    )


@login_required
@require_POST
def rule(request):
    """The "until you acknowledge" form: repeat every N minutes (empty: once), and by which channels.
    Refused, the page comes back with what was typed and the error under the field."""
    typed = request.POST.get("repeat_minutes", "").strip()
    form = {
        "repeat_minutes": typed,
        "email": bool(request.POST.get("email")),
        "chat": bool(request.POST.get("chat")),
    }
    try:
        minutes = int(typed) if typed else None
        rules.rule_set(
            user=request.user, by=request.user, repeat_minutes=minutes, email=form["email"], chat=form["chat"]
        )
    except ValueError:
        return _inbox(
            request, rule_form={**form, "errors": {"repeat_minutes": [rules.REPEAT_BOUNDS_ERROR]}}, status=400
        )
    except ValidationError as error:
        return _inbox(request, rule_form={**form, "errors": error.message_dict}, status=400)
    return redirect(reverse("notification-inbox") + "#rule")


def _subscriptions_context(user) -> dict:
    subscriptions = list(selectors.subscriptions_of(user=user))
    return {
        "subscriptions": [s for s in subscriptions if s.scope != SubscriptionScope.INCIDENT],
        "incidents_followed": sum(s.scope == SubscriptionScope.INCIDENT for s in subscriptions),
        "follow_choices": FOLLOW_CHOICES,
        "has_chat": selectors.has_chat_route(user=user),
    }


# What the "Follow" form offers besides single incidents (followed from their status page).
FOLLOW_CHOICES = [("everything", _("Every incident"))] + [
    (str(severity), format_lazy(_("Every SEV{severity} incident"), severity=severity))
    for severity in range(1, 5)
]


@login_required
@require_POST
def subscription_add(request):
    """Follow every incident, or every incident of a severity, with the channels ticked."""
    target = request.POST.get("target", "")
    if target in dict(FOLLOW_CHOICES):
        services.subscription_follow(
            user=request.user,
            by=request.user,
            severity=None if target == "everything" else int(target),
            email=bool(request.POST.get("email")),
            chat=bool(request.POST.get("chat")),
            drills=bool(request.POST.get("drills")),
        )
    return redirect(reverse("notification-inbox") + "#subscriptions")


@login_required
@require_POST
def subscription_remove(request, subscription_id: int):
    services.subscription_stop(user=request.user, by=request.user, subscription_id=subscription_id)
    return redirect(reverse("notification-inbox") + "#subscriptions")


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
