"""Who may write a post-incident review, waive it, and update its follow-ups (who may read one:
anyone who sees its incident)."""

from core.permissions import may_write_register
from incidents.models import Incident
from people.models import Role


def may_write_review(user, incident: Incident) -> bool:
    """The commander, risk officers and administrators write the review; others who see it read it."""
    return user.is_admin or user.role == Role.RISK_OFFICER or incident.commander_id == user.pk


def may_waive_review(user) -> bool:
    """Only administrators waive a review."""
    return user.is_admin


def may_apply_drill_proposal(user) -> bool:
    """A drill's proposed re-rating reaches the register only through a risk officer (or an admin)."""
    return may_write_register(user)
