"""What a drill's review would re-rate: kept as a proposal, applied only by a risk officer's choice."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidTransition
from incidents.services import incident_lock
from reviews.models import RatingDecision, ReviewStatus, RiskRating
from reviews.services.lifecycle import rating_values
from risks.models import ChangeSource
from risks.services import risk_rerate


@transaction.atomic
def drill_proposal_apply(
    *, incident_id: int, risk_id: int, by, reason: str, now: dt.datetime | None = None
) -> RiskRating:
    """Applies one re-rating a completed drill's review proposed, as an ordinary re-rating of the
    risk with the person's own reason. Once: a proposal applied is a 409 the second time."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why this proposal should change the register.")]})
    now = now or timezone.now()
    incident = incident_lock(incident_id)
    rating = (
        RiskRating.objects.select_for_update()
        .select_related("risk", "review")
        .filter(review__incident=incident, risk_id=risk_id)
        .first()
    )
    if rating is None:
        raise ValidationError({"risk": [_("This risk is not linked to the drill's review.")]})
    if not incident.drill or rating.review.status != ReviewStatus.COMPLETED:
        raise InvalidTransition(_("Only a completed drill review proposes re-ratings to apply."))
    if rating.decision != RatingDecision.RERATE:
        raise InvalidTransition(_("The drill's review kept this risk as it is: nothing to apply."))
    if rating.applied_at is not None:
        raise InvalidTransition(_("This proposal has already been applied."))
    risk_rerate(
        risk=rating.risk,
        by=by,
        reason=reason,
        incident_id=incident.pk,
        source=ChangeSource.INCIDENT_REVIEW,
        now=now,
        **rating_values(rating),
    )
    rating.applied_at, rating.applied_by, rating.applied_reason = now, by, reason
    rating.save(update_fields=["applied_at", "applied_by", "applied_reason"])
    return rating
