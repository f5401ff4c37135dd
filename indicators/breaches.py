"""What a KRI's readings do: a breach opens when a reading leaves green and closes on the next green
one. Amber tells the owner and brings the linked risks' reviews forward; red takes the KRI's
configured action, once per breach (the red claim is a conditional update on the breach row), and
lapses the linked risks' acceptances."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents.services import incident_declare
from indicators.models import BAND_RANK, KRI, Band, Breach, BreachState, OnRed
from notifications.services import notify
from playbooks.selectors import playbook_current_published
from risks.acceptances import acceptances_lapse_for_kri
from risks.models import RiskStatus
from risks.services import risk_update

# An amber reading brings each linked risk's next review at least this close.
AMBER_REVIEW_WITHIN = dt.timedelta(days=7)
# Incident severity (1 = worst) from the current level of the risk it runs for.
SEVERITY_OF_LEVEL = {"critical": 1, "high": 2, "medium": 3, "low": 4}


def breach_follow(
    *,
    kri: KRI,
    breach: Breach | None,
    band: str,
    value: float,
    measured_at: dt.datetime,
    by,
    now: dt.datetime,
) -> Breach | None:
    """The KRI's open breach after a reading in `band` (None once back to green)."""
    if band == Band.GREEN:
        if breach is not None:
            breach.state, breach.closed_at = BreachState.CLOSED, measured_at
            breach.save(update_fields=["state", "closed_at"])
        return None
    if breach is None:
        breach = Breach.objects.create(kri=kri, band=band, opened_at=measured_at)
        if band == Band.AMBER:
            _amber(kri=kri, value=value, by=by, now=now)
    elif BAND_RANK[band] > BAND_RANK[breach.band]:
        breach.band = band
        breach.save(update_fields=["band"])
    if band == Band.RED and Breach.objects.filter(pk=breach.pk, red_at__isnull=True).update(
        red_at=measured_at, band=Band.RED
    ):
        breach.red_at, breach.band = measured_at, Band.RED
        _red(kri=kri, breach=breach, value=value, by=by, now=now)
    return breach


def _kri_url(kri: KRI) -> str:
    return reverse("kri-detail", args=[kri.pk])


def _open_risks(kri: KRI) -> list:
    return list(
        kri.risks.filter(status=RiskStatus.OPEN).select_related("owner", "playbook").order_by("number")
    )


def _reviews_forward(*, kri: KRI, risks: list, due: dt.datetime, by, now: dt.datetime) -> None:
    for risk in risks:
        if risk.next_review_at > due:
            risk_update(
                risk=risk,
                by=by,
                changes={"next_review_at": due},
                reason=str(_("Key risk indicator %(name)s breached") % {"name": kri.name}),
                now=now,
            )


def _amber(*, kri: KRI, value: float, by, now: dt.datetime) -> None:
    notify(
        recipients=[kri.owner],
        kind="kri.breach",
        title=format_lazy(
            _("{name} is amber: {value} {unit}"), name=kri.reader_name, value=f"{value:g}", unit=kri.unit
        ),
        body=_("The next review of each linked risk has been brought forward."),
        url=_kri_url(kri),
    )
    _reviews_forward(kri=kri, risks=_open_risks(kri), due=now + AMBER_REVIEW_WITHIN, by=by, now=now)


def _red(*, kri: KRI, breach: Breach, value: float, by, now: dt.datetime) -> None:
    risks = _open_risks(kri)
    acceptances_lapse_for_kri(
        risks=risks, kri_id=kri.pk, name=kri.name, name_zh=kri.name_zh, value=value, unit=kri.unit, now=now
    )
    breach.action = kri.on_red
    if kri.on_red == OnRed.REVIEW:
        _reviews_forward(kri=kri, risks=risks, due=now, by=by, now=now)
    elif kri.on_red == OnRed.OPEN_INCIDENT:
        breach.incident, breach.note = _open_incident(
            kri=kri, breach=breach, risks=risks, value=value, now=now
        )
    breach.save(update_fields=["action", "incident", "note"])
    notify(
        recipients=[kri.owner, *(risk.owner for risk in risks)],
        kind="kri.breach",
        title=_red_words(kri, value),
        body=breach.note,
        url=_kri_url(kri),
        incident_id=breach.incident_id,
    )


def _red_words(kri: KRI, value: float):
    """A red KRI in each reader's language (its name too, where it has both): "DAU is red: 62 %"."""
    return format_lazy(
        _("{name} is red: {value} {unit}"), name=kri.reader_name, value=f"{value:g}", unit=kri.unit
    )


def _open_incident(*, kri: KRI, breach: Breach, risks: list, value: float, now: dt.datetime):
    """Declares an incident with the first linked risk's current published playbook, the system
    acting on behalf of the KRI (not the person who posted the reading): its timeline names the
    breach and the reading that crossed. Returns (incident, note). A KRI that cannot open one still
    records its reading, with the reason."""
    for risk in risks:
        playbook = risk.playbook and playbook_current_published(lineage=risk.playbook.lineage)
        if not playbook:
            continue
        try:
            with transaction.atomic():
                with translation.override("en"):
                    title = str(_red_words(kri, value))
                with translation.override("zh-hans"):
                    title_zh = str(_red_words(kri, value))
                incident = incident_declare(
                    title=title,
                    title_zh=title_zh,
                    severity=SEVERITY_OF_LEVEL.get(risk.residual_level, 2),
                    playbook_id=playbook.pk,
                    commander=kri.commander or risk.owner,
                    declared_by=None,
                    declared_for={
                        "kri": kri.pk,
                        "name": kri.name,
                        "breach": breach.pk,
                        "value": value,
                        "unit": kri.unit,
                        "red": kri.red,
                        "measured_at": breach.red_at.isoformat(),
                    },
                    risks=risks,
                    now=now,
                )
        except ValidationError as error:
            return None, str(_("No incident was opened: %(reason)s") % {"reason": "; ".join(error.messages)})
        return incident, ""
    return None, str(_("No incident was opened: no linked risk has a published playbook."))
