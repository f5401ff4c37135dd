from incidents.models import Incident


def lock_incident(incident_id: int) -> Incident:
    """The incident row, locked until the transaction ends: every change to an incident starts here."""
    return (
        Incident.objects.select_for_update().select_related("current_tier", "commander").get(pk=incident_id)
    )
