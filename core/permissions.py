"""Who may do what, by role: the predicates every app's API, pages, streams and navigation use,
and the DRF permissions built from them. They read the person's role properties (people.User's
`is_admin`, `sees_everything`, `writes_register`), so every floor may use them, audit's API too.

What a person may do to one incident, task or review is decided by that app's own
`permissions.py`, on top of these.
"""

from collections.abc import Callable

from rest_framework.permissions import SAFE_METHODS, BasePermission


def may_administer(user) -> bool:
    return user.is_admin


def may_see_everything(user) -> bool:
    """Administrators, executives and risk officers see every incident, team and figure."""
    return user.sees_everything


def may_write_register(user) -> bool:
    """Risk officers and administrators write the register, its KRIs and the playbooks."""
    return user.writes_register


def signed_in(request) -> bool:
    return bool(request.user and request.user.is_authenticated)


class IsAdmin(BasePermission):
    def has_permission(self, request, view):
        return signed_in(request) and may_administer(request.user)


def everyone_reads(writes: Callable) -> type[BasePermission]:
    """A DRF permission: everyone signed in reads; those for whom `writes(user)` holds write."""

    class EveryoneReads(BasePermission):
        def has_permission(self, request, view):
            return signed_in(request) and (request.method in SAFE_METHODS or writes(request.user))

    EveryoneReads.__name__ = EveryoneReads.__qualname__ = f"EveryoneReads_{writes.__name__}"
    return EveryoneReads


AdminWritesOthersRead = everyone_reads(may_administer)
RegisterWritersWriteOthersRead = everyone_reads(may_write_register)
