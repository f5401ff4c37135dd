from incidents.models import Incident


def lockable():
    """Incident rows to lock, only those rows: the commander's user row and the tier's stay free."""
    return Incident.objects.select_for_update(of=("self",)).select_related("current_tier", "commander")


def incident_lock(incident_id: int) -> Incident:
    """The incident row, locked until the transaction ends: every change to an incident starts here."""
    return lockable().get(pk=incident_id)


def incidents_lock(incident_ids) -> dict[int, Incident]:
    """Several incident rows, locked in id order so that two batches never deadlock."""
    return {incident.pk: incident for incident in lockable().filter(pk__in=incident_ids).order_by("pk")}
