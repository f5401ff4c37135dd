"""Accepting a risk: asked for with a justification, conditions and an expiry; approved or declined
by someone with authority who did not ask; lapsing on its own, exactly once.

An approved acceptance lapses when it expires (beat's sweep, `acceptances_lapse_expired`), when a
KRI of its risk goes red (`acceptances_lapse_for_kri`, called by indicators) or when an incident is
declared for its risk (`acceptances_lapse_for_incident`, called by incidents). The lapse is claimed
by a conditional update of the acceptance's state under the risk's row lock, so two lapsers (a red
reading and the sweep, or two workers) never lapse it twice. A lapse reopens the risk's treatment
decision, tells the risk's owner, the approver and the asker, and stays on the acceptance's record
with its cause.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from core.errors import InvalidTransition
from notifications.services import notify
from notifications.wording import LocalTime
from risks.models import (
    LIVE_ACCEPTANCE,
    Acceptance,
    AcceptanceState,
    LapseCause,
    Risk,
    RiskStatus,
    Treatment,
)
from risks.permissions import acceptance_deciders, may_decide_acceptance, may_request_acceptance

# An acceptance is looked at again at least once a year: a longer one is refused.
LONGEST = dt.timedelta(days=366)
DECIDERS_ONLY = gettext_lazy("A risk officer or an executive other than the asker decides an acceptance.")


def _locked_risk(risk_id: int) -> Risk:
    return Risk.objects.select_for_update().select_related("owner").get(pk=risk_id)


def _url(risk: Risk) -> str:
    return reverse("risk-detail", args=[risk.pk])


def acceptance_errors(*, justification: str, expires_at: dt.datetime | None, now: dt.datetime) -> dict:
    errors = {}
    if not (justification or "").strip():
        errors["justification"] = [_("Say why the risk can be accepted as it is.")]
    if expires_at is None:
        errors["expires_at"] = [_("Give the date the acceptance ends.")]
    elif expires_at <= now:
        errors["expires_at"] = [_("This date is in the past: give a date to come.")]
    elif expires_at > now + LONGEST:
        errors["expires_at"] = [_("An acceptance lasts at most a year: ask again when it ends.")]
    return errors


@transaction.atomic
def acceptance_request(
    *,
    risk: Risk,
    by,
    justification: str,
    expires_at: dt.datetime | None,
    conditions: str = "",
    now: dt.datetime | None = None,
) -> Acceptance:
    """Asks for the risk to be accepted; the people who may approve are told."""
    now = now or timezone.now()
    if not may_request_acceptance(by, risk):
        raise PermissionDenied
    errors = acceptance_errors(justification=justification, expires_at=expires_at, now=now)
    if errors:
        raise ValidationError(errors)
    locked = _locked_risk(risk.pk)
    if locked.status != RiskStatus.OPEN:
        raise InvalidTransition(_("Only an open risk can be accepted."))
    live = locked.acceptances.filter(state__in=LIVE_ACCEPTANCE).first()
    if live is not None:
        raise InvalidTransition(
            _("This risk already has an acceptance awaiting approval.")
            if live.state == AcceptanceState.REQUESTED
            else _("This risk is already accepted until %(date)s.") % {"date": LocalTime(live.expires_at)}
        )
    acceptance = Acceptance.objects.create(
        risk=locked,
        requested_by=by,
        requested_at=now,
        justification=justification.strip(),
        conditions=(conditions or "").strip(),
        expires_at=expires_at,
    )
    audit_record(acceptance, by=by, action=AuditAction.CREATED)
    notify(
        recipients=acceptance_deciders(besides=by),
        kind="risk.acceptance_requested",
        title=format_lazy(
            gettext_lazy("Acceptance to decide: {ref} {title}"), ref=locked.ref, title=locked.title
        ),
        body=format_lazy(
            gettext_lazy("{asker} asks to accept this risk until {expires}: {justification}"),
            asker=by,
            expires=LocalTime(expires_at),
            justification=acceptance.justification,
        ),
        url=_url(locked),
    )
    return acceptance


def _decidable(acceptance: Acceptance, by) -> tuple[Risk, Acceptance]:
    """The risk and the acceptance, locked in that order, once `by` may decide it and it is still asked."""
    if not may_decide_acceptance(by, acceptance):
        raise PermissionDenied(str(DECIDERS_ONLY))
    risk = _locked_risk(acceptance.risk_id)
    locked = Acceptance.objects.select_for_update().get(pk=acceptance.pk)
    if locked.state != AcceptanceState.REQUESTED:
        raise InvalidTransition(
            _("This acceptance is %(state)s: it can no longer be decided.")
            % {"state": locked.get_state_display()}
        )
    return risk, locked


def _decide(acceptance: Acceptance, *, by, state: str, note: str, now: dt.datetime) -> None:
    before = audit_values(acceptance)
    acceptance.state, acceptance.decided_by, acceptance.decided_at = state, by, now
    acceptance.decision_note = (note or "").strip()
    acceptance.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(acceptance, by=by, action=AuditAction.UPDATED, before=before)


@transaction.atomic
def acceptance_approve(
    *, acceptance: Acceptance, by, note: str = "", now: dt.datetime | None = None
) -> Acceptance:
    """Approves the acceptance: the risk's treatment is "accept" until the acceptance lapses."""
    now = now or timezone.now()
    risk, locked = _decidable(acceptance, by)
    if locked.expires_at <= now:
        raise InvalidTransition(_("This acceptance ended before it was approved: ask again."))
    if risk.status != RiskStatus.OPEN:
        raise InvalidTransition(_("Only an open risk can be accepted."))
    _decide(locked, by=by, state=AcceptanceState.APPROVED, note=note, now=now)
    risk_before = audit_values(risk)
    risk.treatment, risk.treatment_reopened_at = Treatment.ACCEPT, None
    risk.version += 1
    risk.save(update_fields=["treatment", "treatment_reopened_at", "version", "updated_at"])
    audit_record(risk, by=by, action=AuditAction.UPDATED, before=risk_before)
    notify(
        recipients=[locked.requested_by, risk.owner],
        kind="risk.acceptance_approved",
        title=format_lazy(gettext_lazy("Risk accepted: {ref} {title}"), ref=risk.ref, title=risk.title),
        body=format_lazy(
            gettext_lazy("{approver} approved the acceptance until {expires}."),
            approver=by,
            expires=LocalTime(locked.expires_at),
        ),
        url=_url(risk),
    )
    return locked


@transaction.atomic
def acceptance_decline(
    *, acceptance: Acceptance, by, note: str, now: dt.datetime | None = None
) -> Acceptance:
    """Declines the acceptance, with the reason; the risk's treatment stays as it was."""
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the acceptance is declined.")]})
    risk, locked = _decidable(acceptance, by)
    _decide(locked, by=by, state=AcceptanceState.DECLINED, note=note, now=now or timezone.now())
    notify(
        recipients=[locked.requested_by, risk.owner],
        kind="risk.acceptance_declined",
        title=format_lazy(gettext_lazy("Acceptance declined: {ref} {title}"), ref=risk.ref, title=risk.title),
        body=format_lazy(
            gettext_lazy("{approver} declined it: {note}"), approver=by, note=locked.decision_note
        ),
        url=_url(risk),
    )
    return locked


# Lapses -------------------------------------------------------------------------------------------


def _lapse(*, risk_id: int, cause: str, detail: dict, now: dt.datetime, due_only: bool = False) -> bool:
    """Lapses the risk's approved acceptance, if it still has one (and, with `due_only`, if it has
    expired): in the caller's transaction, under the risk's row lock, claimed by a conditional update."""
    risk = _locked_risk(risk_id)
    approved = Acceptance.objects.filter(risk=risk, state=AcceptanceState.APPROVED)
    if due_only:
        approved = approved.filter(expires_at__lte=now)
    acceptance = approved.select_related("requested_by", "decided_by").first()
    if acceptance is None:
        return False
    before = audit_values(acceptance)
    claimed = Acceptance.objects.filter(pk=acceptance.pk, state=AcceptanceState.APPROVED).update(
        state=AcceptanceState.LAPSED, lapsed_at=now, lapse_cause=cause, lapse_detail=detail
    )
    if not claimed:
        return False
    acceptance.state, acceptance.lapsed_at = AcceptanceState.LAPSED, now
    acceptance.lapse_cause, acceptance.lapse_detail = cause, detail
    audit_record(acceptance, by=None, action=AuditAction.UPDATED, before=before)
    risk_before = audit_values(risk)
    risk.treatment_reopened_at = now
    risk.version += 1
    risk.save(update_fields=["treatment_reopened_at", "version", "updated_at"])
    audit_record(risk, by=None, action=AuditAction.UPDATED, before=risk_before)
    notify(
        recipients=[risk.owner, acceptance.decided_by, acceptance.requested_by],
        kind="risk.acceptance_lapsed",
        title=format_lazy(gettext_lazy("Acceptance lapsed: {ref} {title}"), ref=risk.ref, title=risk.title),
        body=format_lazy(
            gettext_lazy("{cause} The treatment of this risk is to be decided again."),
            cause=acceptance.lapse_reason,
        ),
        url=_url(risk),
    )
    return True


def _lapse_each(*, risks, cause: str, detail: dict, now: dt.datetime) -> int:
    """Risks locked in id order, as every writer of several risks locks them."""
    return sum(
        _lapse(risk_id=risk_id, cause=cause, detail=detail, now=now)
        for risk_id in sorted({risk.pk for risk in risks})
    )


@transaction.atomic
def acceptances_lapse_for_kri(
    *, risks, kri_id: int, name: str, name_zh: str, value: float, unit: str, now: dt.datetime
) -> int:
    """A KRI of these risks went red: their approved acceptances lapse. Returns how many did."""
    detail = {"kri": kri_id, "name": name, "name_zh": name_zh, "value": value, "unit": unit}
    return _lapse_each(risks=risks, cause=LapseCause.KRI_RED, detail=detail, now=now)


@transaction.atomic
def acceptances_lapse_for_incident(
    *, risks, incident_id: int, title: str, title_zh: str, now: dt.datetime
) -> int:
    """An incident (not a drill) was declared for these risks, or linked to them: their approved
    acceptances lapse. Returns how many did."""
    detail = {"incident": incident_id, "title": title, "title_zh": title_zh}
    return _lapse_each(risks=risks, cause=LapseCause.INCIDENT, detail=detail, now=now)


def acceptances_expired(*, now: dt.datetime) -> QuerySet[Acceptance]:
    return Acceptance.objects.filter(state=AcceptanceState.APPROVED, expires_at__lte=now)


def acceptances_lapse_expired(*, now: dt.datetime | None = None) -> int:
    """Beat's sweep: every approved acceptance whose expiry has come lapses, each in its own
    transaction, once whatever the number of sweeps running."""
    now = now or timezone.now()
    lapsed = 0
    for risk_id in acceptances_expired(now=now).order_by("risk_id").values_list("risk_id", flat=True):
        with transaction.atomic():
            lapsed += _lapse(risk_id=risk_id, cause=LapseCause.EXPIRED, detail={}, now=now, due_only=True)
    return lapsed
