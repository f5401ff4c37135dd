"""Template context: the signed-in person's unread count, for the bell (notifications/bell.html)."""

from django.utils.functional import SimpleLazyObject

from notifications import selectors


def unread_count(request):
    """Counted only if a page actually shows the bell: one query then, none otherwise."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_unread_count": SimpleLazyObject(lambda: selectors.unread_count(user=user))}
