"""Sending one notification through one channel. Each function raises SendError on failure."""

import json
import logging
import urllib.error
import urllib.request

import apprise
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext

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


def plain_text(notification: Notification, *, with_links: bool = True) -> str:
    """The body, then the person's own links to act from the message itself (signed, single use,
    expiring), or the notification's plain link when it is about no incident."""
    parts = [notification.body]
    if with_links and notification.incident_id:
        with translation.override(notification.recipient.language):
            tokens = links_issue(
                user=notification.recipient,
                incident_id=notification.incident_id,
                task_id=notification.task_id,
            )
            lines = [
                f"{label}: {absolute(f'/links/{tokens[action]}/')}"
                for action, label in (
                    ("acknowledge", gettext("Acknowledge this task")),
                    ("open", gettext("Open the war room")),
                )
                if action in tokens
            ]
            lines.append(
                gettext("These links act as you, work once and expire in %(hours)d hours.")
                % {"hours": link_lifetime().total_seconds() // 3600}
            )
        parts.append("\n".join(lines))
    else:
        parts.append(link(notification))
    return "\n\n".join(part for part in parts if part)


def send_email(notification: Notification) -> None:
    try:
        send_mail(
            subject=subject(notification),
            message=plain_text(notification),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception as error:  # noqa: BLE001 - any mail backend failure is a failed attempt
        raise SendError(f"{type(error).__name__}: {error}") from error


def send_webhook(endpoint: WebhookEndpoint, notification: Notification) -> None:
    """A person's own webhook carries their links; a team's channel, read by many, only the page's."""
    personal = endpoint.user_id is not None
    if endpoint.service == WebhookService.JSON:
        post_json(endpoint.url, json_payload(notification, with_links=personal))
    else:
        notify_through_apprise(endpoint.url, notification, with_links=personal)


def json_payload(notification: Notification, *, with_links: bool = False) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": subject(notification),
        "body": plain_text(notification, with_links=with_links),
        "url": link(notification),
        "drill": notification.drill,
        "incident": notification.incident_id,
        "recipient": notification.recipient.username,
        "created_at": notification.created_at.isoformat(),
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


def notify_through_apprise(url: str, notification: Notification, *, with_links: bool = False) -> None:
    """Slack, Teams, DingTalk, Feishu/Lark and every other service Apprise knows, in its own format."""
    bot = apprise.Apprise()
    if not bot.add(url):
        raise SendError("Apprise does not understand this URL")
    with apprise.LogCapture(level=logging.WARNING) as log:
        delivered = bot.notify(
            title=subject(notification), body=plain_text(notification) or notification.title
        )
        if not delivered:
            raise SendError(log.getvalue().strip() or "Apprise could not deliver the notification")
