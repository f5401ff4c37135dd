"""Signed, single-use, expiring links that act as one person: in each e-mail and chat message, to
acknowledge the task it is about, or to open the incident's war room.

The token is the link's id signed with the site's key (a forged or altered token is refused); the
row says whose it is, until when it works, and whether it was used.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidTransition
from notifications.models import ActionLink

SALT = "notifications.action-link"


class LinkRefused(InvalidTransition):
    """The link cannot act: unknown, used, expired, someone else's, or its task moved on."""

    code = "link_refused"


def link_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "ACTION_LINK_HOURS", 24))


def links_issue(*, user, incident_id: int, task_ids: list[int], now: dt.datetime | None = None) -> dict:
    """The person's links for one message: {"open": token, "acknowledge": {task id: token}}."""
    now = now or timezone.now()
    expires_at = now + link_lifetime()
    made = [(ActionLink.Action.OPEN, None)] + [
        (ActionLink.Action.ACKNOWLEDGE, task_id) for task_id in task_ids
    ]
    links = ActionLink.objects.bulk_create(
        ActionLink(
            user=user,
            action=action,
            incident_id=incident_id,
            task_id=task_id,
            created_at=now,
            expires_at=expires_at,
        )
        for action, task_id in made
    )
    tokens = [signing.dumps(link.pk, salt=SALT) for link in links]
    return {"open": tokens[0], "acknowledge": dict(zip(task_ids, tokens[1:], strict=True))}


def link_peek(*, token: str, now: dt.datetime | None = None) -> ActionLink:
    """The link the token names, if it may still act (without using it); LinkRefused otherwise."""
    return _usable(_link(token, lock=False), now or timezone.now())


def link_use(*, token: str, user=None, now: dt.datetime | None = None) -> ActionLink:
    """Uses the link, inside the caller's transaction (so the use is undone if the action fails).

    `user`: whoever is signed in where the link was opened; a link of someone else is refused.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("link_use runs inside the transaction of the action it performs")
    now = now or timezone.now()
    link = _usable(_link(token, lock=True), now)
    if user is not None and user.is_authenticated and user.pk != link.user_id:
        raise LinkRefused(_("This link was sent to someone else: it does not act for you."))
    ActionLink.objects.filter(pk=link.pk).update(used_at=now)
    link.used_at = now
    return link


def _link(token: str, *, lock: bool) -> ActionLink:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise LinkRefused(_("This link is not valid.")) from None
    links = ActionLink.objects.select_related("user")
    link = (links.select_for_update(of=("self",)) if lock else links).filter(pk=pk).first()
    if link is None:
        raise LinkRefused(_("This link is not valid."))
    return link


def _usable(link: ActionLink, now: dt.datetime) -> ActionLink:
    if link.used_at is not None:
        raise LinkRefused(_("This link has already been used."))
    if link.expires_at <= now:
        raise LinkRefused(_("This link has expired."))
    if not link.user.is_active:
        raise LinkRefused(_("This link is not valid."))
    return link
