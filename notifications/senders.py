"""Sending one notification through one channel. Each function raises SendError on failure."""

import json
import logging
import urllib.error
import urllib.request

import apprise
from django.conf import settings
from django.core.mail import send_mail

from notifications.models import Notification, WebhookEndpoint, WebhookService

TIMEOUT_SECONDS = 10


class SendError(Exception):
    """The channel refused or could not be reached; the message says why."""


def link(notification: Notification) -> str:
    """The notification's link, absolute when the site's address is configured."""
    if not notification.url:
        return ""
    return getattr(settings, "SITE_URL", "").rstrip("/") + notification.url


def plain_text(notification: Notification) -> str:
    return "\n\n".join(part for part in (notification.body, link(notification)) if part)


def send_email(notification: Notification) -> None:
    try:
        send_mail(
            subject=notification.title,
            message=plain_text(notification),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception as error:  # noqa: BLE001 - any mail backend failure is a failed attempt
        raise SendError(f"{type(error).__name__}: {error}") from error


def send_webhook(endpoint: WebhookEndpoint, notification: Notification) -> None:
    if endpoint.service == WebhookService.JSON:
        post_json(endpoint.url, json_payload(notification))
    else:
        notify_through_apprise(endpoint.url, notification)


def json_payload(notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": link(notification),
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


def notify_through_apprise(url: str, notification: Notification) -> None:
    """Slack, Teams, DingTalk, Feishu/Lark and every other service Apprise knows, in its own format."""
    bot = apprise.Apprise()
    if not bot.add(url):
        raise SendError("Apprise does not understand this URL")
    with apprise.LogCapture(level=logging.WARNING) as log:
        delivered = bot.notify(title=notification.title, body=plain_text(notification) or notification.title)
        if not delivered:
            raise SendError(log.getvalue().strip() or "Apprise could not deliver the notification")
