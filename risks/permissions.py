"""Who may do what with the matrix and a risk's acceptance: the pages, the API and the services ask here.

Accepting a risk needs authority: a risk officer or an executive, and never the person who asked.
"""

from django.db.models import QuerySet

from people.models import Role, User
from people.selectors import people_active

AUTHORITIES = (Role.RISK_OFFICER, Role.EXECUTIVE)


def may_revise_matrix(user) -> bool:
    """Those who write the register make a new version of the matrix; everyone signed in reads it."""
    return user.is_active and user.writes_register


def may_request_acceptance(user, risk) -> bool:
    """Those who write the register, and the risk's owner."""
    return user.is_active and (user.writes_register or risk.owner_id == user.pk)


def has_acceptance_authority(user) -> bool:
    return user.is_active and user.role in AUTHORITIES


def may_decide_acceptance(user, acceptance) -> bool:
    """Approve or decline: a person with authority who did not ask for it."""
    return has_acceptance_authority(user) and acceptance.requested_by_id != user.pk


def acceptance_deciders(*, besides) -> QuerySet[User]:
    """The active people who may decide a request made by `besides`."""
    return people_active().filter(role__in=AUTHORITIES).exclude(pk=besides.pk)
