"""Telling open sockets that their person's access changed, or that they signed out.

Every socket joins its person's group; the messages below make each socket re-check what it
streams (closing with 4403 when no longer allowed) or close when its session ended (4401).
Django's signals are the hook because roles and memberships are also changed through the
Django admin, which calls no service of ours.
"""

from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.broadcast import broadcaster
from core.realtime import user_group
from people.models import Membership, User

# Fields of a person whose change may take away what they may watch.
ACCESS_FIELDS = {"role", "is_active", "is_superuser"}


def _send(user_id: int, message: dict) -> None:
    broadcaster.send([user_group(user_id)], message)


def access_changed(*, user_id: int) -> None:
    """After the transaction commits, the person's sockets re-check their access."""
    transaction.on_commit(lambda: _send(user_id, {"type": "live.access_changed"}))


def _on_user_saved(sender, instance, created, update_fields=None, **kwargs):
    if not created and (update_fields is None or ACCESS_FIELDS & set(update_fields)):
        access_changed(user_id=instance.pk)


def _on_membership_changed(sender, instance, **kwargs):
    access_changed(user_id=instance.user_id)


def _on_logged_out(sender, request, user, **kwargs):
    if user is not None and request.session.session_key:
        _send(user.pk, {"type": "live.logged_out", "session": request.session.session_key})


def connect_signals() -> None:
    post_save.connect(_on_user_saved, sender=User, dispatch_uid="live-user-saved")
    post_save.connect(_on_membership_changed, sender=Membership, dispatch_uid="live-membership-saved")
    post_delete.connect(_on_membership_changed, sender=Membership, dispatch_uid="live-membership-deleted")
    user_logged_out.connect(_on_logged_out, dispatch_uid="live-logged-out")
