"""Acting from a message itself: the signed, single-use, expiring links in e-mails and chat messages."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidTransition
from incidents.models import Task
from incidents.permissions import may_work_on
from incidents.services.task_actions import task_acknowledge
from notifications.links import LinkRefused, link_use
from notifications.models import ActionLink


@transaction.atomic
def link_act(*, token: str, user=None, now: dt.datetime | None = None) -> ActionLink:
    """Uses the link as the person it was sent to: acknowledges its task, or only opens the war room.

    Refused (LinkRefused, nothing written) when it is forged, used, expired, someone else's (`user`
    is whoever is signed in where it was opened), or its task can no longer be acknowledged by them.
    """
    now = now or timezone.now()
    link = link_use(token=token, user=user, now=now)
    if link.action == ActionLink.Action.ACKNOWLEDGE:
        task = Task.objects.select_related("incident").filter(pk=link.task_id).first()
        if task is None or not may_work_on(link.user, task):
            raise LinkRefused(_("You may not acknowledge this task."))
        try:
            task_acknowledge(task_id=task.pk, by=link.user, now=now)
        except InvalidTransition:
            raise LinkRefused(_("This task has moved on: it can no longer be acknowledged.")) from None
    return link
