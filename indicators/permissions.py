"""Who may set up KRIs and feed them: the API, the pages and their links ask here."""

from core.permissions import may_write_register


def may_set_up_kris(user) -> bool:
    """Create and edit KRIs: risk officers and administrators, who write the register."""
    return may_write_register(user)


def may_record_readings(user, kri) -> bool:
    """Post or enter a KRI's readings: those who set up KRIs, and the KRI's owner."""
    return may_set_up_kris(user) or kri.owner_id == user.pk
