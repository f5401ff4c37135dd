"""Reads of KRIs: the list, one KRI, its recent readings, its breaches and their incidents."""

import datetime as dt

from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from indicators.models import BAND_RANK, KRI, Band, Breach, Reading
from indicators.rules import rule_parse
from risks.models import Risk

# Readings drawn on a KRI's chart.
CHART_READINGS = 60


def kri_list() -> QuerySet[KRI]:
    """KRIs with owner, commander and linked risk ids: three queries however many."""
    return KRI.objects.select_related("owner", "commander").prefetch_related(
        Prefetch("risks", queryset=Risk.objects.only("id", "number", "title").order_by("number"))
    )


def kri_get(*, kri_id: int) -> KRI:
    return kri_list().get(pk=kri_id)


def kri_readings(*, kri: KRI) -> QuerySet[Reading]:
    return kri.readings.select_related("recorded_by").order_by("-measured_at")


def kri_recent_readings(*, kri: KRI, count: int = CHART_READINGS) -> list[Reading]:
    """The latest `count` readings, oldest first."""
    return list(reversed(kri.readings.order_by("-measured_at")[:count]))


def kri_chart_readings(*, kri: KRI, count: int = CHART_READINGS) -> tuple[list[float], list[Reading]]:
    """The latest `count` readings, oldest first, and the values just before them that the KRI's
    rule looks back over (to say why the first of them has its band): one query."""
    needed = rule_parse(kri.rule)[0].history_needed
    readings = kri_recent_readings(kri=kri, count=count + needed)
    earlier = max(len(readings) - count, 0)
    return [reading.value for reading in readings[:earlier]], readings[earlier:]


def kri_breaches(*, kri: KRI) -> QuerySet[Breach]:
    return kri.breaches.select_related("incident").order_by("-opened_at", "-id")


def kri_reading_overdue(*, kri: KRI, now: dt.datetime | None = None) -> bool:
    if not kri.expected_every:
        return False
    return (now or timezone.now()) > (kri.last_measured_at or kri.created_at) + kri.expected_every


def kris_not_green() -> QuerySet[KRI]:
    """KRIs in amber or red, the red ones first."""
    return kri_list().filter(band__in=[Band.AMBER, Band.RED]).order_by("-band", "name")


# Readings drawn in a KRI's sparkline.
SPARK_READINGS = 20


def kri_strip() -> list[tuple[KRI, list[Reading]]]:
    """Every KRI, red first then amber then green, each with its latest readings oldest first:
    two queries, whatever the number of KRIs."""
    kris = sorted(KRI.objects.all(), key=lambda kri: (-BAND_RANK[kri.band], kri.name))
    latest = (
        Reading.objects.filter(kri__in=[kri.pk for kri in kris])
        .annotate(nth=Window(RowNumber(), partition_by=F("kri_id"), order_by=F("measured_at").desc()))
        .filter(nth__lte=SPARK_READINGS)
    )
    readings: dict[int, list[Reading]] = {kri.pk: [] for kri in kris}
    for reading in sorted(latest, key=lambda reading: reading.measured_at):
        readings[reading.kri_id].append(reading)
    return [(kri, readings[kri.pk]) for kri in kris]
