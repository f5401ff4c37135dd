"""Sending one notification through one channel. Each function raises SendError on failure."""

import json
import logging
import urllib.error
import urllib.request

import apprise
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext, ngettext

from notifications.links import link_lifetime, links_issue
from notifications.models import Notification, WebhookEndpoint, WebhookService

TIMEOUT_SECONDS = 10


class SendError(Exception):
    """The channel refused or could not be reached; the message says why."""


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path else ""


def link(notification: Notification) -> str:
    """The notification's link, absolute (RISKOPS_SITE_URL, or the address `make run` serves on)."""
    return absolute(notification.url)


def subject(notification: Notification) -> str:
    """`[SEV1] Plant fire: “Switch suppliers” is overdue`; a drill's title already starts with DRILL."""
    if notification.tag and not notification.drill:
        return f"[{notification.tag}] {notification.title}"
    return notification.title


def group_subject(notifications: list[Notification]) -> str:
    """One notice's subject; a group's names the first and how many more."""
    first = subject(notifications[0])
    if len(notifications) == 1:
        return first
    with translation.override(notifications[0].recipient.language):
        more = len(notifications) - 1
        return ngettext("%(subject)s (and %(count)d more)", "%(subject)s (and %(count)d more)", more) % {
            "subject": first,
            "count": more,
        }


def plain_text(notifications: list[Notification], *, with_links: bool = True) -> str:
    """The body (a group's: each notice numbered, with its words), then the person's own links to act
    from the message itself (signed, single use, expiring), or the plain link when about no incident."""
    first = notifications[0]
    with translation.override(first.recipient.language):
        if len(notifications) == 1:
            parts = [first.body]
        else:
            heading = ngettext(
                "%(count)d notice about this incident:",
                "%(count)d notices about this incident:",
                len(notifications),
            ) % {"count": len(notifications)}
            items = [
                f"{number}. {notification.title}\n{notification.body}".strip()
                for number, notification in enumerate(notifications, start=1)
            ]
            drill = [gettext("DRILL: an exercise, not a real incident.")] if first.drill else []
            parts = [*drill, heading, *items]
        if with_links and first.incident_id:
            parts.append(_links(notifications))
        else:
            parts.append(link(first))
    return "\n\n".join(part for part in parts if part)


def _links(notifications: list[Notification]) -> str:
    first = notifications[0]
    numbered = {n.task_id: number for number, n in enumerate(notifications, start=1) if n.task_id}
    tokens = links_issue(user=first.recipient, incident_id=first.incident_id, task_ids=list(numbered))
    label = gettext("Acknowledge this task")

    def numbered_label(task_id: int) -> str:
        return f"{label} ({numbered[task_id]})" if len(notifications) > 1 else label

    lines = [
        f"{numbered_label(task_id)}: {absolute(f'/links/{token}/')}"
        for task_id, token in tokens["acknowledge"].items()
    ]
    open_path = f"/links/{tokens['open']}/"
    lines.append(f"{gettext('Open the war room')}: {absolute(open_path)}")
    lines.append(
        gettext("These links act as you, work once and expire in %(hours)d hours.")
        % {"hours": link_lifetime().total_seconds() // 3600}
    )
    return "\n".join(lines)


def send_email(notifications: list[Notification]) -> None:
    try:
        send_mail(
            subject=group_subject(notifications),
            message=plain_text(notifications),
            from_email=None,
            recipient_list=[notifications[0].recipient.email],
        )
    except Exception as error:  # noqa: BLE001 - any mail backend failure is a failed attempt
        raise SendError(f"{type(error).__name__}: {error}") from error


def send_webhook(endpoint: WebhookEndpoint, notifications: list[Notification]) -> None:
    """A person's own webhook carries their links; a team's channel, read by many, only the page's."""
    personal = endpoint.user_id is not None
    if endpoint.service == WebhookService.JSON:
        post_json(endpoint.url, json_payload(notifications, with_links=personal))
    else:
        notify_through_apprise(endpoint.url, notifications, with_links=personal)


def json_payload(notifications: list[Notification], *, with_links: bool = False) -> dict:
    first = notifications[0]
    return {
        "id": first.pk,
        "kind": first.kind,
        "title": group_subject(notifications),
        "body": plain_text(notifications, with_links=with_links),
        "url": link(first),
        "drill": first.drill,
        "incident": first.incident_id,
        "notifications": [notification.pk for notification in notifications],
        "recipient": first.recipient.username,
        "created_at": first.created_at.isoformat(),
    }


def post_json(url: str, payload: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "RiskOps"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        raise SendError(f"HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        raise SendError(str(getattr(error, "reason", error))) from error


def notify_through_apprise(url: str, notifications: list[Notification], *, with_links: bool = False) -> None:
    """Slack, Teams, DingTalk, Feishu/Lark and every other service Apprise knows, in its own format."""
    bot = apprise.Apprise()
    if not bot.add(url):
        raise SendError("Apprise does not understand this URL")
    with apprise.LogCapture(level=logging.WARNING) as log:
        delivered = bot.notify(
            title=group_subject(notifications),
            body=plain_text(notifications, with_links=with_links) or notifications[0].title,
        )
        if not delivered:
            raise SendError(log.getvalue().strip() or "Apprise could not deliver the notification")
