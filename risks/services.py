"""Writes to the register. Each locks the rows it changes and writes its history in the same transaction."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from core.errors import Conflict, InvalidTransition
from notifications.services import notify
from people.selectors import executives_active
from risks import defaults
from risks.checks import check_moment, moment_errors
from risks.matrix_rules import matrix_errors
from risks.models import (
    ActionStatus,
    Category,
    ChangeSource,
    ImportJob,
    Level,
    LookedAt,
    RefCounter,
    ReviewOutcome,
    Risk,
    RiskMatrix,
    RiskReview,
    RiskStatus,
    ScoreChange,
    TreatmentAction,
)
from risks.scoring import (
    RATING_FIELDS,
    apply_ratings,
    check_ratings,
    outside_appetite,
    pair_errors,
    review_due,
    snapshot,
)
from risks.selectors import matrix_active

STATUS_TRANSITIONS = {
    RiskStatus.OPEN: {RiskStatus.CLOSED, RiskStatus.ARCHIVED},
    RiskStatus.CLOSED: {RiskStatus.OPEN, RiskStatus.ARCHIVED},
    RiskStatus.ARCHIVED: {RiskStatus.OPEN},
}
ACTION_TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.DONE: {ActionStatus.OPEN},
    ActionStatus.CANCELLED: {ActionStatus.OPEN},
}
# Given as objects the callers read (the database's foreign keys still hold): not read again to validate.
RELATED = ["matrix", "category", "owner", "playbook"]
DESCRIPTIVE_FIELDS = [
    "title",
    "cause",
    "event",
    "consequence",
    "category",
    "source",
    "owner",
    "treatment",
    "playbook",
    "review_interval_days",
]


# The matrix ---------------------------------------------------------------------------------


def matrix_validate(*, likelihood: list, impact: list, levels: list, grid: list, appetite: str) -> None:
    """Raises a ValidationError by part (likelihood, impact, levels, grid, appetite) unless it is sound."""
    if errors := matrix_errors(
        likelihood=likelihood, impact=impact, levels=levels, grid=grid, appetite=appetite
    ):
        raise ValidationError(errors)


@transaction.atomic
def matrix_revise(
    *,
    by,
    likelihood: list,
    impact: list,
    levels: list,
    grid: list,
    appetite: str,
    based_on: int | None = None,
) -> RiskMatrix:
    """A new version of the matrix; the old one stays, and so do the scores made on it.

    `based_on`, the version the person edited: if another version was saved since, nothing is
    written and Conflict says which (two people saving at once: one makes the next version).
    """
    matrix_validate(likelihood=likelihood, impact=impact, levels=levels, grid=grid, appetite=appetite)
    # Saving waits on the newest version's lock, then reads again which version is the newest.
    RiskMatrix.objects.select_for_update().order_by("-version").first()
    latest = RiskMatrix.objects.select_related("created_by").order_by("-version").first()
    newest = latest.version if latest else 0
    if based_on is not None and newest != based_on:
        raise Conflict(
            _(
                "%(who)s saved matrix v%(version)s while you were editing v%(based_on)s: "
                "nothing of yours was saved."
            )
            % {
                "who": getattr(latest, "created_by", None) or _("Someone"),
                "version": newest,
                "based_on": based_on,
            }
        )
    matrix = RiskMatrix.objects.create(
        version=newest + 1,
        likelihood=likelihood,
        impact=impact,
        levels=levels,
        grid=grid,
        appetite=appetite,
        created_by=by,
    )
    audit_record(matrix, by=by, action=AuditAction.CREATED)
    return matrix


def matrix_ensure_default() -> RiskMatrix:
    """The active matrix, creating the default 5 × 5 one if the organisation has none yet."""
    with transaction.atomic():
        if matrix := matrix_active():
            return matrix
        return matrix_revise(
            by=None,
            likelihood=defaults.LIKELIHOOD,
            impact=defaults.IMPACT,
            levels=defaults.LEVELS,
            grid=defaults.GRID,
            appetite=defaults.APPETITE,
        )


@transaction.atomic
def categories_ensure_default() -> None:
    """The default categories the organisation lacks; nobody in particular adds them."""
    for position, (key, label_en, label_zh) in enumerate(defaults.CATEGORIES):
        category, created = Category.objects.get_or_create(
            key=key, defaults={"label_en": label_en, "label_zh": label_zh, "position": position}
        )
        if created:
            audit_record(category, by=None, action=AuditAction.CREATED)


@transaction.atomic
def category_set_appetite(*, category: Category, by, appetite: str, appetite_score: int | None) -> Category:
    """Sets the category's own appetite (empty: the matrix's) and, optionally, the highest residual
    score it accepts; every risk of the category is then inside or outside appetite accordingly."""
    matrix = matrix_ensure_default()
    highest = len(matrix.likelihood) * len(matrix.impact)
    errors = {}
    if appetite and appetite not in Level.values:
        errors["appetite"] = [_("The appetite must be one of the levels.")]
    if appetite_score is not None and not 1 <= appetite_score <= highest:
        errors["appetite_score"] = [
            _("A score is from 1 to %(highest)s (likelihood × impact).") % {"highest": highest}
        ]
    if errors:
        raise ValidationError(errors)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    before = audit_values(locked)
    locked.appetite, locked.appetite_score = appetite or "", appetite_score
    locked.save(update_fields=["appetite", "appetite_score"])
    audit_record(locked, by=by, action=AuditAction.UPDATED, before=before)
    risks = (
        Risk.objects.filter(category=locked)
        .select_related("matrix")
        .select_for_update(of=("self",))
        .only(
            "above_appetite", "residual_level", "residual_likelihood", "residual_impact", "matrix__appetite"
        )
    )
    moved = []
    for risk in risks:
        outside = outside_appetite(
            category=locked, matrix=risk.matrix, level=risk.residual_level, score=risk.residual_score
        )
        if outside != risk.above_appetite:
            risk.above_appetite = outside
            moved.append(risk)
    Risk.objects.bulk_update(moved, ["above_appetite"], batch_size=500)
    return locked


# Risks --------------------------------------------------------------------------------------


@transaction.atomic
def numbers_allocate(*, count: int = 1, at_least: int = 0) -> range:
    """`count` fresh reference numbers, all above `at_least`; safe when many writers allocate at once."""
    RefCounter.objects.get_or_create(pk=1)
    counter = RefCounter.objects.select_for_update().get(pk=1)
    first = max(counter.last, at_least) + 1
    counter.last = first + count - 1
    counter.save(update_fields=["last"])
    return range(first, first + count)


@transaction.atomic
def numbers_reserve(*, up_to: int) -> None:
    """Makes sure no number up to `up_to` is handed out again (a file names its own references)."""
    RefCounter.objects.get_or_create(pk=1)
    RefCounter.objects.select_for_update().filter(pk=1, last__lt=up_to).update(last=up_to)


@transaction.atomic
def risk_create(
    *,
    by,
    title: str,
    category: Category,
    owner,
    likelihood: int | None = None,
    impact: int | None = None,
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
    target_likelihood: int | None = None,
    target_impact: int | None = None,
    cause: str = "",
    event: str = "",
    consequence: str = "",
    source: str = "internal",
    treatment: str = "mitigate",
    playbook=None,
    review_interval_days: int | None = None,
    next_review_at: dt.datetime | None = None,
    status: str = RiskStatus.OPEN,
    number: int | None = None,
    reason: str = "",
    change_source: str = ChangeSource.IDENTIFIED,
    import_job: ImportJob | None = None,
    now: dt.datetime | None = None,
) -> Risk:
    """A new risk; without an inherent likelihood and impact it is "not rated" until someone rates it."""
    now = now or timezone.now()
    matrix = matrix_ensure_default()
    ratings = {
        "likelihood": likelihood,
        "impact": impact,
        "residual_likelihood": likelihood if residual_likelihood is None else residual_likelihood,
        "residual_impact": impact if residual_impact is None else residual_impact,
        "target_likelihood": target_likelihood,
        "target_impact": target_impact,
    }
    errors = pair_errors(
        {**ratings, "residual_likelihood": residual_likelihood, "residual_impact": residual_impact}
    )
    if likelihood is None and any(ratings[field] is not None for field in RATING_FIELDS[2:]):
        errors.setdefault("likelihood", [_("Rate the inherent risk first.")])
    errors.update(moment_errors("next_review_at", next_review_at, now=now))
    if errors:
        raise ValidationError(errors)
    check_ratings(matrix, ratings)
    risk = Risk(
        title=title,
        cause=cause,
        event=event,
        consequence=consequence,
        category=category,
        source=source,
        owner=owner,
        treatment=treatment,
        playbook=playbook,
        review_interval_days=review_interval_days,
        status=status,
        **ratings,
    )
    apply_ratings(risk, matrix)
    risk.next_review_at = next_review_at or review_due(risk, matrix, now)
    risk.full_clean(exclude=["number", "next_review_at", *RELATED])
    if number is None:
        [risk.number] = numbers_allocate()
    else:
        numbers_reserve(up_to=number)
        risk.number = number
    risk.save()
    audit_record(risk, by=by, action=AuditAction.CREATED)
    ScoreChange.objects.create(
        risk=risk,
        at=now,
        by=by,
        reason=reason.strip() or _("Identified"),
        source=change_source,
        import_job=import_job,
        before={},
        after=snapshot(risk),
    )
    return risk


def _locked(risk: Risk, expected_version: int | None) -> Risk:
    # The category is read (its appetite), not locked: edits of other risks in it go on meanwhile.
    risks = Risk.objects.select_related("matrix", "category").select_for_update(of=("self", "matrix"))
    locked = risks.get(pk=risk.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _("Someone else changed %(ref)s since you opened it (now version %(version)s).")
            % {"ref": locked.ref, "version": locked.version}
        )
    return locked


@dataclass(frozen=True)
class Origin:
    """Where a change of ratings comes from, kept with it in the history."""

    source: str = ChangeSource.OTHER
    incident_id: int | None = None
    review: RiskReview | None = None
    import_job: ImportJob | None = None


def _rerate_locked(
    risk: Risk, *, by, reason: str, values: dict, origin: Origin, now: dt.datetime
) -> ScoreChange | None:
    """Changes the given ratings of a locked risk on its own matrix version, writing the history.

    A change needs a reason (a field error on `reason` otherwise, nothing written); an unchanged
    rating needs none. The first rating of a risk not rated yet gives its residual rating too.
    """
    values = {field: value for field, value in values.items() if value is not None}
    check_ratings(risk.matrix, values)
    before = snapshot(risk)
    was_rated = risk.rated
    for field, value in values.items():
        setattr(risk, field, value)
    if not was_rated and risk.residual_likelihood is None and risk.residual_impact is None:
        risk.residual_likelihood, risk.residual_impact = risk.likelihood, risk.impact
    errors = pair_errors({field: getattr(risk, field) for field in RATING_FIELDS})
    if not risk.rated and any(getattr(risk, field) is not None for field in RATING_FIELDS[2:]):
        errors.setdefault("likelihood", [_("Rate the inherent risk first.")])
    if errors:
        raise ValidationError(errors)
    old_residual_level = risk.residual_level
    apply_ratings(risk, risk.matrix)
    after = snapshot(risk)
    if after == before:
        return None
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the ratings change.")]})
    if risk.residual_level != old_residual_level:
        # A worse level has a shorter cadence: the review comes forward, never back.
        risk.next_review_at = min(risk.next_review_at, review_due(risk, risk.matrix, now))
    return ScoreChange.objects.create(
        risk=risk,
        at=now,
        by=by,
        reason=reason.strip(),
        source=origin.source,
        incident_id=origin.incident_id,
        review=origin.review,
        import_job=origin.import_job,
        before=before,
        after=after,
    )


@transaction.atomic
def risk_rerate(
    *,
    risk: Risk,
    by,
    reason: str,
    likelihood: int | None = None,
    impact: int | None = None,
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
    target_likelihood: int | None = None,
    target_impact: int | None = None,
    incident_id: int | None = None,
    source: str = ChangeSource.OTHER,
    now: dt.datetime | None = None,
) -> Risk:
    """Re-rates a risk (post-incident reviews call this with `source=ChangeSource.INCIDENT_REVIEW`
    and their incident); the reason is kept as written, and a change without one is refused."""
    locked = _locked(risk, None)
    before = audit_values(locked)
    values = {
        "likelihood": likelihood,
        "impact": impact,
        "residual_likelihood": residual_likelihood,
        "residual_impact": residual_impact,
        "target_likelihood": target_likelihood,
        "target_impact": target_impact,
    }
    origin = Origin(source=source, incident_id=incident_id)
    if _rerate_locked(locked, by=by, reason=reason, values=values, origin=origin, now=now or timezone.now()):
        locked.version += 1
        locked.save()
        audit_record(locked, by=by, action=AuditAction.UPDATED, before=before)
    return locked


@transaction.atomic
def risk_update(
    *,
    risk: Risk,
    by,
    changes: dict,
    expected_version: int | None = None,
    reason: str = "",
    change_source: str = ChangeSource.OTHER,
    import_job: ImportJob | None = None,
    now: dt.datetime | None = None,
) -> Risk:
    """Changes a risk's description, owner, ratings, review date or status in one recorded step.

    `expected_version` is the version the writer saw; a stale one raises Conflict and writes nothing.
    A change of ratings needs `reason`; a review date being set must make sense (risks.checks).
    """
    now = now or timezone.now()
    locked = _locked(risk, expected_version)
    before = audit_values(locked)
    status = changes.get("status", locked.status)
    if status != locked.status and status not in STATUS_TRANSITIONS[locked.status]:
        raise InvalidTransition(
            _("A risk cannot go from %(from)s to %(to)s.") % {"from": locked.status, "to": status}
        )
    new_review = changes.get("next_review_at")
    if new_review and new_review != locked.next_review_at:
        check_moment("next_review_at", new_review, now=now)
    old_interval = locked.review_interval_days
    if changes.get("treatment", locked.treatment) != locked.treatment:
        locked.treatment_reopened_at = None  # the treatment is decided again
    locked.status = status
    for field in DESCRIPTIVE_FIELDS:
        if field in changes:
            setattr(locked, field, changes[field])
    ratings = {field: changes[field] for field in RATING_FIELDS if field in changes}
    origin = Origin(source=change_source, import_job=import_job)
    _rerate_locked(locked, by=by, reason=reason, values=ratings, origin=origin, now=now)
    if new_review:
        locked.next_review_at = new_review
    elif "review_interval_days" in changes and changes["review_interval_days"] != old_interval:
        locked.next_review_at = review_due(locked, locked.matrix, now)
    locked.full_clean(exclude=["number", *RELATED])
    locked.version += 1
    locked.save()
    audit_record(locked, by=by, action=AuditAction.UPDATED, before=before)
    return locked


def risk_archive(*, risk: Risk, by, expected_version: int | None = None) -> Risk:
    """DELETE on a risk: it is archived, never destroyed."""
    return risk_update(
        risk=risk, by=by, changes={"status": RiskStatus.ARCHIVED}, expected_version=expected_version
    )


@transaction.atomic
def risk_rescore(*, risk: Risk, by, reason: str, now: dt.datetime | None = None) -> Risk:
    """Moves a risk's ratings onto the active matrix version: an explicit act, in its history."""
    locked = _locked(risk, None)
    matrix = matrix_active()
    if locked.matrix_id == matrix.id:
        raise InvalidTransition(
            _("%(ref)s is already scored on matrix v%(version)s.")
            % {
                "ref": locked.ref,
                "version": matrix.version,
            }
        )
    check_ratings(matrix, {field: getattr(locked, field) for field in RATING_FIELDS})
    before, audited_before = snapshot(locked), audit_values(locked)
    apply_ratings(locked, matrix)
    ScoreChange.objects.create(
        risk=locked,
        at=now or timezone.now(),
        by=by,
        reason=reason,
        source=ChangeSource.RESCORE,
        before=before,
        after=snapshot(locked),
    )
    locked.version += 1
    locked.save()
    audit_record(locked, by=by, action=AuditAction.UPDATED, before=audited_before)
    return locked


# Reviews and treatment actions ----------------------------------------------------------------


def _review_errors(
    *, outcome: str, looked_at: list[str], notes: str, next_review_at, now: dt.datetime
) -> dict[str, list[str]]:
    errors = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = [_("Choose the outcome of the review.")]
    if not looked_at:
        errors["looked_at"] = [_("Say what the review looked at.")]
    elif unknown := sorted(set(looked_at) - set(LookedAt.values)):
        errors["looked_at"] = [_("Unknown: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}]
    if not notes.strip():
        errors["notes"] = [
            _("Say why nothing changes.")
            if outcome == ReviewOutcome.UNCHANGED
            else _("Write what the review found.")
        ]
    errors.update(moment_errors("next_review_at", next_review_at, now=now))
    return errors


@transaction.atomic
def risk_review(
    *,
    risk: Risk,
    by,
    outcome: str,
    notes: str = "",
    looked_at: list[str] | None = None,
    ratings: dict | None = None,
    next_review_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> RiskReview:
    """Records a periodic review: who, what they looked at, their note, the outcome, and any new
    ratings (in the history with the note as their reason and this review as their source).

    An empty review, "no change" without a note, "ratings changed" that changes none and "no
    change" that changes some are refused with field errors, and nothing moves (not even the next
    review date). The next review is the one given, or the interval of the risk's level from now.
    "Escalated" tells the executives and the risk's owner.
    """
    now = now or timezone.now()
    looked_at = list(dict.fromkeys(looked_at or []))
    notes = (notes or "").strip()
    errors = _review_errors(
        outcome=outcome, looked_at=looked_at, notes=notes, next_review_at=next_review_at, now=now
    )
    if errors:
        raise ValidationError(errors)
    locked = _locked(risk, None)
    before = audit_values(locked)
    review = RiskReview.objects.create(
        risk=locked,
        reviewed_at=now,
        reviewed_by=by,
        outcome=outcome,
        looked_at=looked_at,
        notes=notes,
        next_review_at=now,  # set below, once the ratings are known
    )
    origin = Origin(source=ChangeSource.RISK_REVIEW, review=review)
    changed = _rerate_locked(locked, by=by, reason=notes, values=ratings or {}, origin=origin, now=now)
    if outcome == ReviewOutcome.RERATED and not changed:
        raise ValidationError({"outcome": [_("Give the new ratings, or choose another outcome.")]})
    if outcome == ReviewOutcome.UNCHANGED and changed:
        raise ValidationError({"outcome": [_("The ratings change: choose “Ratings changed”.")]})
    locked.next_review_at = next_review_at or review_due(locked, locked.matrix, now)
    review.next_review_at = locked.next_review_at
    review.save(update_fields=["next_review_at"])
    locked.version += 1
    locked.save()
    audit_record(locked, by=by, action=AuditAction.UPDATED, before=before)
    if outcome == ReviewOutcome.ESCALATED:
        _tell_escalated(locked, review)
    return review


def _tell_escalated(risk: Risk, review: RiskReview) -> None:
    """Each recipient reads it in their own language (the texts are translated when told)."""
    reviewer = review.reviewed_by or gettext_lazy("someone")
    notify(
        recipients=[*executives_active(), risk.owner],
        kind="risk.escalated",
        title=format_lazy(gettext_lazy("Risk escalated: {ref} {title}"), ref=risk.ref, title=risk.title),
        body=format_lazy(
            gettext_lazy("{reviewer} escalated it in a review: {notes}"),
            reviewer=reviewer,
            notes=review.notes,
        ),
        url=reverse("risk-detail", args=[risk.pk]),
    )


@transaction.atomic
def action_create(
    *, risk: Risk, by, title: str, owner, due_at: dt.datetime, now: dt.datetime | None = None
) -> TreatmentAction:
    """A treatment action; its due time must be to come, and within risks.checks.MAX_YEARS_AHEAD."""
    action = TreatmentAction(risk=risk, title=title, owner=owner, due_at=due_at)
    errors = moment_errors("due_at", due_at, now=now or timezone.now())
    try:
        action.full_clean(exclude=["risk", "owner"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    action.save()
    audit_record(action, by=by, action=AuditAction.CREATED)
    return action


@transaction.atomic
def action_set_status(
    *, action: TreatmentAction, by, status: str, now: dt.datetime | None = None
) -> TreatmentAction:
    locked = TreatmentAction.objects.select_for_update().get(pk=action.pk)
    before = audit_values(locked)
    if status != locked.status and status not in ACTION_TRANSITIONS[locked.status]:
        raise InvalidTransition(
            _("An action cannot go from %(from)s to %(to)s.") % {"from": locked.status, "to": status}
        )
    locked.status = status
    locked.completed_at = (now or timezone.now()) if status == ActionStatus.DONE else None
    locked.save(update_fields=["status", "completed_at"])
    audit_record(locked, by=by, action=AuditAction.UPDATED, before=before)
    return locked
