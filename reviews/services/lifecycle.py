"""A review opens when its incident is resolved, is edited, then completed (or waived by an admin)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidTransition
from incidents.happenings import REVIEW_COMPLETED, REVIEW_WAIVED
from incidents.models import Incident
from incidents.services import timeline_append
from reviews.models import MAX_WHYS, PinnedEntry, RatingDecision, Review, ReviewStatus, RiskRating
from reviews.services.locking import lock_open_review
from risks.models import ChangeSource
from risks.scoring import check_ratings
from risks.services import risk_rerate

TEXT_FIELDS = ("summary", "root_cause", "what_worked", "what_did_not")
RATING_VALUES = ("likelihood", "impact", "residual_likelihood", "residual_impact")


def review_open(*, incident: Incident, now: dt.datetime) -> Review:
    """Run by incident_resolve, in its transaction (reviews/apps.py registers it): the review, with
    one rating row per linked risk."""
    review, _created = Review.objects.get_or_create(incident=incident, defaults={"opened_at": now})
    rated = set(review.ratings.values_list("risk_id", flat=True))
    RiskRating.objects.bulk_create(
        RiskRating(review=review, risk=risk) for risk in incident.risks.all() if risk.pk not in rated
    )
    return review


def review_check_closable(*, incident: Incident) -> None:
    """Run by incident_close, in its transaction (reviews/apps.py registers it): a 409 unless the
    review is completed or waived."""
    status = Review.objects.filter(incident=incident).values_list("status", flat=True).first()
    if status in {ReviewStatus.COMPLETED, ReviewStatus.WAIVED}:
        return
    raise InvalidTransition(
        _("Complete the post-incident review before closing the incident (or an administrator waives it).")
    )


@transaction.atomic
def review_update(*, incident_id: int, by, changes: dict) -> Review:
    """Changes any of the texts, the whys, the pinned timeline entries (by seq) and the risk ratings."""
    incident, review = lock_open_review(incident_id)
    whys = changes.get("whys")
    if whys is not None and len(whys) > MAX_WHYS:
        raise ValidationError({"whys": [_("At most %(count)d whys.") % {"count": MAX_WHYS}]})
    pins = _pinned_entries(incident, changes.get("pinned"))
    ratings = _ratings(review, changes.get("ratings"))
    for field in (*TEXT_FIELDS, "whys"):
        if field in changes:
            setattr(review, field, changes[field])
    review.save()
    if pins is not None:
        review.pinned.all().delete()
        PinnedEntry.objects.bulk_create(PinnedEntry(review=review, entry_id=pk) for pk in pins)
    if ratings:
        RiskRating.objects.bulk_update(ratings, ["decision", *RATING_VALUES, "note"])
    return review


def _pinned_entries(incident: Incident, seqs: list[int] | None) -> list[int] | None:
    if seqs is None:
        return None
    found = dict(incident.timeline.filter(seq__in=seqs).values_list("seq", "pk"))
    if missing := sorted(set(seqs) - set(found)):
        raise ValidationError(
            {"pinned": [_("No timeline entry %(seqs)s.") % {"seqs": ", ".join(map(str, missing))}]}
        )
    return [found[seq] for seq in dict.fromkeys(seqs)]


def _ratings(review: Review, changes: list[dict] | None) -> list[RiskRating]:
    """The rating rows with the changes applied (not saved); a 400 naming the risk for anything wrong."""
    if not changes:
        return []
    rows = {row.risk_id: row for row in review.ratings.select_related("risk__matrix")}
    errors = []
    for change in changes:
        row = rows.get(change["risk"])
        if row is None:
            errors.append(_("Risk %(id)s is not linked to this incident.") % {"id": change["risk"]})
            continue
        values = {field: change.get(field) for field in RATING_VALUES}
        try:
            check_ratings(row.risk.matrix, values)
        except ValidationError as error:
            errors += [f"{row.risk.ref}: {field}: {' '.join(m)}" for field, m in error.message_dict.items()]
            continue
        row.decision = change.get("decision", row.decision)
        for field, value in values.items():
            setattr(row, field, value)
        row.note = change.get("note", row.note)
    if errors:
        raise ValidationError({"ratings": errors})
    return list(rows.values())


@transaction.atomic
def review_complete(*, incident_id: int, by, now: dt.datetime | None = None) -> Review:
    """Checks the review is whole, re-rates the risks through the register, and records it."""
    now = now or timezone.now()
    incident, review = lock_open_review(incident_id)
    ratings = list(review.ratings.select_related("risk"))
    _check_whole(review, ratings)
    rerate = [r for r in ratings if r.decision == RatingDecision.RERATE]
    # A drill never touches the register: what it would re-rate stays a proposal (drill_proposal_apply).
    for rating in [] if incident.drill else rerate:
        # The reason as written; the register links the change to this incident's review.
        risk_rerate(
            risk=rating.risk,
            by=by,
            reason=rating.note,
            incident_id=incident.pk,
            source=ChangeSource.INCIDENT_REVIEW,
            now=now,
            **rating_values(rating),
        )
    review.status, review.completed_at, review.completed_by = ReviewStatus.COMPLETED, now, by
    review.save(update_fields=["status", "completed_at", "completed_by"])
    timeline_append(
        incident=incident,
        type=REVIEW_COMPLETED.timeline,
        at=now,
        actor=by,
        data={"proposed": [r.risk_id for r in rerate]}
        if incident.drill
        else {"rerated": [r.risk_id for r in rerate]},
    )
    return review


def rating_values(rating: RiskRating) -> dict:
    return {field: getattr(rating, field) for field in RATING_VALUES}


def _check_whole(review: Review, ratings: list[RiskRating]) -> None:
    errors = {}
    for field, message in (
        ("summary", _("Write a summary before completing the review.")),
        ("root_cause", _("Name the root cause before completing the review.")),
    ):
        if not getattr(review, field).strip():
            errors[field] = [message]
    undecided = [r.risk.ref for r in ratings if r.decision == RatingDecision.UNDECIDED]
    empty = [
        r.risk.ref
        for r in ratings
        if r.decision == RatingDecision.RERATE and all(getattr(r, f) is None for f in RATING_VALUES)
    ]
    if undecided:
        errors["ratings"] = [
            _("Re-rate or keep every linked risk: %(refs)s.") % {"refs": ", ".join(undecided)}
        ]
    if empty:
        errors.setdefault("ratings", []).append(
            _("Give the new ratings of %(refs)s.") % {"refs": ", ".join(empty)}
        )
    unexplained = [r.risk.ref for r in ratings if r.decision == RatingDecision.RERATE and not r.note.strip()]
    if unexplained:
        errors.setdefault("ratings", []).append(
            _("Say why the ratings of %(refs)s change.") % {"refs": ", ".join(unexplained)}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def review_waive(*, incident_id: int, by, reason: str, now: dt.datetime | None = None) -> Review:
    """An administrator lets the incident close without a review; the reason goes on the timeline."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the review is waived.")]})
    now = now or timezone.now()
    incident, review = lock_open_review(incident_id)
    review.status, review.waiver_reason = ReviewStatus.WAIVED, reason.strip()
    review.completed_at, review.completed_by = now, by
    review.save(update_fields=["status", "waiver_reason", "completed_at", "completed_by"])
    timeline_append(
        incident=incident,
        type=REVIEW_WAIVED.timeline,
        at=now,
        actor=by,
        data={"reason": review.waiver_reason},
    )
    return review
