from core.errors import InvalidTransition
from incidents.models import Incident
from incidents.services import incident_lock
from reviews.models import Review, ReviewStatus


def lock_open_review(incident_id: int) -> tuple[Incident, Review]:
    """The incident locked (the order every incident writer uses), then its review, which must be open."""
    incident = incident_lock(incident_id)
    review = Review.objects.filter(incident=incident).first()
    if review is None:
        raise InvalidTransition("The incident has no review yet: it opens when the incident is resolved.")
    if review.status != ReviewStatus.OPEN:
        raise InvalidTransition(
            f"The review is {review.get_status_display().lower()}; it can no longer change."
        )
    return incident, review
