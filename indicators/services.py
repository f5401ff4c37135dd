"""Writes: KRIs, their readings (each with its band, acting on breaches), missing readings flagged."""

import datetime as dt
import math
import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from indicators.breaches import breach_follow
from indicators.models import KRI, Breach, BreachState, OnRed, Reading
from indicators.rules import band_of, rule_as_json, rule_parse, threshold_errors
from notifications.services import notify

KRI_FIELDS = [
    "name",
    "name_zh",
    "description",
    "unit",
    "owner",
    "direction",
    "amber",
    "red",
    "rule",
    "on_red",
    "commander",
    "expected_every",
]


@dataclass(frozen=True)
class ReadingInput:
    kri: KRI
    value: float
    measured_at: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class ReadingResult:
    reading: Reading
    breach: Breach | None


class ReadingsRejected(Exception):
    """Some readings are invalid: `errors[i]` are the field errors of the i-th, for each invalid
    one (keyed by position, as DRF reports a list). Nothing was written."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        super().__init__(errors)
        self.errors = errors


# KRIs ---------------------------------------------------------------------------------------


def _kri_check(kri: KRI) -> None:
    rule, errors = rule_parse(kri.rule)
    errors |= threshold_errors(rule=rule, direction=kri.direction, amber=kri.amber, red=kri.red)
    if errors:
        raise ValidationError(errors)
    kri.rule = rule_as_json(rule)
    kri.full_clean(exclude=["owner", "commander"])


def _audited(kri: KRI) -> dict:
    """What the audit log keeps of a KRI: its fields and the risks it is linked to."""
    return audit_values(kri) | {"risks": sorted(kri.risks.values_list("pk", flat=True))}


@transaction.atomic
def kri_create(
    *,
    by,
    name: str,
    owner,
    direction: str,
    name_zh: str = "",
    amber: float,
    red: float,
    risks: Sequence = (),
    unit: str = "",
    description: str = "",
    rule: dict | None = None,
    on_red: str = OnRed.NOTIFY,
    commander=None,
    expected_every: dt.timedelta | None = None,
) -> KRI:
    kri = KRI(
        name=name,
        name_zh=name_zh,
        description=description,
        unit=unit,
        owner=owner,
        direction=direction,
        amber=amber,
        red=red,
        rule=rule or {},
        on_red=on_red,
        commander=commander,
        expected_every=expected_every,
    )
    _kri_check(kri)
    kri.save()
    kri.risks.set(risks)
    audit_record(kri, by=by, action=AuditAction.CREATED, after=_audited(kri))
    return kri


@transaction.atomic
def kri_update(*, kri: KRI, by, changes: dict) -> KRI:
    """Changes settings; the readings already recorded keep the band they were given."""
    locked = KRI.objects.select_for_update().get(pk=kri.pk)
    before = _audited(locked)
    for field in KRI_FIELDS:
        if field in changes:
            setattr(locked, field, changes[field])
    _kri_check(locked)
    locked.save()
    if "risks" in changes:
        locked.risks.set(changes["risks"])
    after = _audited(locked)
    changed = [name for name in after if before[name] != after[name]]
    if changed:
        audit_record(
            locked,
            by=by,
            action=AuditAction.UPDATED,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return locked


# Readings -----------------------------------------------------------------------------------


def _errors(entries: Sequence[ReadingInput], kris: dict[int, KRI], now: dt.datetime) -> list[dict]:
    errors: list[dict] = [{} for _entry in entries]
    seen = set()
    for index, entry in enumerate(entries):
        latest = kris[entry.kri.pk].last_measured_at
        key = (entry.kri.pk, entry.measured_at)
        if entry.measured_at > now:
            errors[index]["measured_at"] = [_("A reading cannot be measured in the future.")]
        elif latest is not None and entry.measured_at <= latest:
            errors[index]["measured_at"] = [
                _("Readings are added in time order: the latest reading of this KRI was measured at %(at)s.")
                % {"at": formats.date_format(timezone.localtime(latest), "Y-m-d H:i")}
            ]
        elif key in seen:
            errors[index]["measured_at"] = [_("Another reading of this KRI has the same time.")]
        seen.add(key)
    return errors


def _recent_values(needed: dict[int, int]) -> dict[int, list[float]]:
    """The last `needed[kri_id]` values of each KRI, oldest first, in one query (each KRI's part
    is a subquery on its (kri, measured_at) index, so it does not read the whole series)."""
    latest = [
        Q(pk__in=Reading.objects.filter(kri_id=kri_id).order_by("-measured_at").values("pk")[:count])
        for kri_id, count in needed.items()
        if count > 0
    ]
    values = defaultdict(list)
    if latest:
        readings = Reading.objects.filter(reduce(operator.or_, latest)).order_by("measured_at")
        for kri_id, value in readings.values_list("kri_id", "value"):
            values[kri_id].append(value)
    return values


@transaction.atomic
def readings_record(
    *, entries: Sequence[ReadingInput], by, now: dt.datetime | None = None
) -> list[ReadingResult]:
    """Records readings of one or more KRIs, all or none. Each gets its band from the KRI's rule,
    then moves the KRI's breach (see breaches.py). The KRIs are locked for the whole batch, so
    concurrent readings of one KRI are evaluated one after the other. The queries do not grow
    with the readings or the KRIs in the batch; only a breach opening, worsening or closing
    writes on its own (and takes its action)."""
    now = now or timezone.now()
    kris = {
        kri.pk: kri
        for kri in KRI.objects.select_for_update(of=("self",))
        .select_related("owner", "commander")
        .filter(pk__in={entry.kri.pk for entry in entries})
        .order_by("pk")
    }
    errors = _errors(entries, kris, now)
    if any(errors):
        raise ReadingsRejected({index: error for index, error in enumerate(errors) if error})
    by_kri = defaultdict(list)
    for index, entry in enumerate(entries):
        by_kri[entry.kri.pk].append(index)
    open_breaches = {
        breach.kri_id: breach
        for breach in Breach.objects.filter(kri__in=kris.values(), state=BreachState.OPEN)
    }
    rules = {kri_id: rule_parse(kris[kri_id].rule)[0] for kri_id in by_kri}
    recent = _recent_values({kri_id: rule.history_needed for kri_id, rule in rules.items()})
    results: list[ReadingResult | None] = [None] * len(entries)
    for kri_id, indexes in by_kri.items():
        kri, rule = kris[kri_id], rules[kri_id]
        history = recent[kri_id]
        breach = open_breaches.get(kri_id)
        for index in sorted(indexes, key=lambda i: entries[i].measured_at):
            entry = entries[index]
            band = band_of(
                value=entry.value,
                previous=history,
                rule=rule,
                direction=kri.direction,
                amber=kri.amber,
                red=kri.red,
            )
            history = [*history, entry.value][-max(rule.history_needed, 1) :]
            breach = breach_follow(
                kri=kri,
                breach=breach,
                band=band,
                value=entry.value,
                measured_at=entry.measured_at,
                by=by,
                now=now,
            )
            reading = Reading(
                kri=kri,
                value=entry.value,
                measured_at=entry.measured_at,
                band=band,
                recorded_at=now,
                recorded_by=by,
                note=entry.note,
            )
            results[index] = ReadingResult(reading=reading, breach=breach)
            kri.band, kri.last_value, kri.last_measured_at = band, entry.value, entry.measured_at
        kri.missed_periods_flagged = 0
    KRI.objects.bulk_update(
        [kris[kri_id] for kri_id in by_kri],
        ["band", "last_value", "last_measured_at", "missed_periods_flagged"],
    )
    Reading.objects.bulk_create([result.reading for result in results], batch_size=1000)
    return results


@transaction.atomic
def reading_enter(
    *, kri: KRI, by, value: float, measured_at: dt.datetime, note: str = "", now: dt.datetime
) -> ReadingResult:
    """A reading entered by hand on the KRI's page: recorded as any other (its band, the breach and
    the breach's action), and written in the audit log with who entered it and their note. Raises
    ReadingsRejected (its errors under 0) and writes nothing when it cannot be recorded."""
    entry = ReadingInput(kri=kri, value=value, measured_at=measured_at, note=note)
    [result] = readings_record(entries=[entry], by=by, now=now)
    audit_record(result.reading, by=by, action=AuditAction.CREATED)
    return result


# Missing readings ---------------------------------------------------------------------------


def kris_flag_missing(*, now: dt.datetime | None = None) -> list[int]:
    """Tells each owner once per expected period that ended without a reading (a period ends
    `expected_every` after the last reading, or after the KRI was made); returns the KRIs
    flagged now. The claim is a conditional update, so a repeated or concurrent run tells nobody twice."""
    now = now or timezone.now()
    flagged = []
    for kri in KRI.objects.filter(expected_every__isnull=False).select_related("owner"):
        since = kri.last_measured_at or kri.created_at
        missed = math.ceil((now - since) / kri.expected_every) - 1 if kri.expected_every else 0
        if missed <= kri.missed_periods_flagged:
            continue
        claimed = KRI.objects.filter(
            pk=kri.pk, missed_periods_flagged__lt=missed, last_measured_at=kri.last_measured_at
        ).update(missed_periods_flagged=missed)
        if claimed:
            flagged.append(kri.pk)
            notify(
                recipients=[kri.owner],
                kind="kri.missing",
                title=format_lazy(
                    gettext_lazy("{name}: no reading for {periods} expected period(s)"),
                    name=kri.reader_name,
                    periods=missed,
                ),
                url=reverse("kri-detail", args=[kri.pk]),
            )
    return flagged


def readings_purge(*, before: dt.datetime, keep_latest: int) -> int:
    """Deletes readings measured before `before`, always keeping each KRI's `keep_latest` newest
    (the rules look back over them, and the chart keeps a line). Returns how many were deleted."""
    deleted = 0
    for kri_id in KRI.objects.values_list("pk", flat=True):
        newest = Reading.objects.filter(kri_id=kri_id).order_by("-measured_at", "-pk")
        kept = list(newest.values_list("pk", flat=True)[:keep_latest])
        count, _ = newest.filter(measured_at__lt=before).exclude(pk__in=kept).delete()
        deleted += count
    return deleted
