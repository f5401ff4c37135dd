"""What the executive digest says: the live incidents with their latest update, what is late, the
KRIs whose band changed and the risks that moved above appetite since the previous digest. Read
with the reader's language and time zone active, since the words are written as it is read."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from indicators.models import KRI, Band, Reading
from live.cockpit import CockpitIncident, LateTask, cockpit_incidents
from risks.models import Risk, RiskStatus, ScoreChange
from risks.scoring import outside_appetite


@dataclass(frozen=True)
class BandChange:
    kri: KRI
    before: str  # the band at the previous digest
    after: str  # the band now


@dataclass(frozen=True)
class Digest:
    now: dt.datetime
    since: dt.datetime
    incidents: list[CockpitIncident]  # real incidents, worst and oldest first
    drills: list[CockpitIncident]  # only for those who hear about every drill
    late: list[tuple[CockpitIncident, LateTask]]
    band_changes: list[BandChange]
    above_appetite: list[Risk]

    @property
    def quiet(self) -> bool:
        return not (self.incidents or self.drills or self.band_changes or self.above_appetite)


def band_changes(*, since: dt.datetime) -> list[BandChange]:
    """KRIs whose band now differs from their band at `since` (green before any reading)."""
    earlier = Reading.objects.filter(kri=OuterRef("pk"), measured_at__lte=since).order_by("-measured_at")
    kris = KRI.objects.annotate(band_then=Subquery(earlier.values("band")[:1])).order_by("name", "pk")
    changes = [BandChange(kri, kri.band_then or Band.GREEN, kri.band) for kri in kris]
    return [change for change in changes if change.before != change.after]


def moved_above_appetite(*, since: dt.datetime) -> list[Risk]:
    """Open risks above appetite now that were not at `since`: their first rating change since
    then started within appetite, or the risk is new."""
    risks = Risk.objects.filter(status=RiskStatus.OPEN, above_appetite=True).select_related(
        "category", "matrix", "owner"
    )
    first_changes: dict[int, ScoreChange] = {}
    for change in ScoreChange.objects.filter(risk__in=risks, at__gt=since).order_by("at", "pk"):
        first_changes.setdefault(change.risk_id, change)
    moved = []
    for risk in risks.order_by("number"):
        change = first_changes.get(risk.pk)
        if change is None:
            continue
        before = change.before
        likelihood, impact = before.get("residual_likelihood"), before.get("residual_impact")
        score = likelihood * impact if likelihood and impact else None
        level = before.get("residual_level") or ""
        if not outside_appetite(category=risk.category, matrix=risk.matrix, level=level, score=score):
            moved.append(risk)
    return moved


def digest_build(*, now: dt.datetime, since: dt.datetime, with_drills: bool) -> Digest:
    real, drills = cockpit_incidents(now=now)
    drills = drills if with_drills else []
    late = [(row, task) for row in [*real, *drills] for task in row.late]
    return Digest(
        now=now,
        since=since,
        incidents=real,
        drills=drills,
        late=late,
        band_changes=band_changes(since=since),
        above_appetite=moved_above_appetite(since=since),
    )
