"""Reads of the register: the active matrix, the filtered register, the heat map."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from risks.models import (
    LIVE_ACCEPTANCE,
    Acceptance,
    AcceptanceState,
    ActionStatus,
    Category,
    Risk,
    RiskMatrix,
    RiskStatus,
    ScoreChange,
    TreatmentAction,
)
from risks.scoring import RATINGS

ORDERINGS = {
    "ref": "number",
    "title": "title",
    "level": "level",
    "residual_level": "residual_level",
    "score": "score",
    "next_review_at": "next_review_at",
    "owner": "owner__username",
    "category": "category__position",
}
# A risk in a list needs its matrix's version only, not the scales, levels and grid.
MATRIX_BULK = ["matrix__likelihood", "matrix__impact", "matrix__levels", "matrix__grid"]
LEVEL_SORT = ["low", "medium", "high", "critical"]
NOT_RATED = "not_rated"  # the level filter's value for risks nobody has rated yet
CELL_NAMES = 3  # the risks a heat-map cell names; "+N more" stands for the others


def matrix_active() -> RiskMatrix | None:
    return RiskMatrix.objects.order_by("-version").first()


def matrix_versions() -> QuerySet[RiskMatrix]:
    """Every version, the newest first, with who made it (not the scales, levels and grid)."""
    return RiskMatrix.objects.select_related("created_by").defer("likelihood", "impact", "levels", "grid")


def risks_on_earlier_versions(*, matrix: RiskMatrix) -> int:
    """Open risks still scored on a version older than `matrix`: each is re-scored explicitly."""
    return Risk.objects.filter(status=RiskStatus.OPEN, matrix__version__lt=matrix.version).count()


@dataclass(frozen=True)
class RegisterFilters:
    level: str = ""
    residual_level: str = ""
    category: str = ""
    owner: int | None = None
    status: str = ""
    review_overdue: bool = False
    above_appetite: bool = False
    acceptance: str = ""
    search: str = ""
    rating: str = "inherent"
    likelihood: int | None = None
    impact: int | None = None
    ordering: str = "ref"


def with_acceptance(risks: QuerySet[Risk]) -> QuerySet[Risk]:
    """Each risk with the state and expiry of its acceptance awaiting approval or in force (at most
    one), as `acceptance_state` and `accepted_until`: subqueries of the same query."""
    live = Acceptance.objects.filter(risk=OuterRef("pk"), state__in=LIVE_ACCEPTANCE)
    return risks.annotate(
        acceptance_state=Subquery(live.values("state")[:1]),
        accepted_until=Subquery(live.values("expires_at")[:1]),
    )


def risk_list(*, filters: RegisterFilters, now: dt.datetime | None = None) -> QuerySet[Risk]:
    """The register as filtered and ordered; archived risks only when asked for by status."""
    risks = with_acceptance(Risk.objects.select_related("category", "owner", "matrix").defer(*MATRIX_BULK))
    risks = (
        risks.filter(status=filters.status) if filters.status else risks.exclude(status=RiskStatus.ARCHIVED)
    )
    if filters.level:
        risks = risks.filter(level="" if filters.level == NOT_RATED else filters.level)
    if filters.residual_level:
        risks = risks.filter(
            residual_level="" if filters.residual_level == NOT_RATED else filters.residual_level
        )
    if filters.category:
        risks = risks.filter(category__key=filters.category)
    if filters.owner:
        risks = risks.filter(owner_id=filters.owner)
    if filters.review_overdue:
        risks = risks.filter(status=RiskStatus.OPEN, next_review_at__lt=now or timezone.now())
    if filters.above_appetite:
        risks = risks.filter(above_appetite=True)
    if filters.acceptance == AcceptanceState.LAPSED:
        risks = risks.filter(treatment_reopened_at__isnull=False)
    elif filters.acceptance:
        risks = risks.filter(acceptance_state=filters.acceptance)
    prefix = "residual_" if filters.rating == "residual" else ""
    if filters.likelihood:
        risks = risks.filter(**{f"{prefix}likelihood": filters.likelihood})
    if filters.impact:
        risks = risks.filter(**{f"{prefix}impact": filters.impact})
    if filters.search:
        term = filters.search.strip()
        query = Q(title__icontains=term) | Q(cause__icontains=term) | Q(event__icontains=term)
        query |= Q(consequence__icontains=term)
        if term.upper().startswith("R-") and term[2:].isdigit():
            query |= Q(number=int(term[2:]))
        risks = risks.filter(query)
    return _ordered(risks, filters.ordering)


class RegisterRows:
    """A filtered, ordered register, read a page at a time by the API's and the pages' paginators.

    A slice picks the page's ids with a narrow subquery, so the database sorts ids and sort keys
    rather than whole rows with their texts, then reads those rows whole: a deep page ordered by
    score costs about what the first page does. Still one query per page.
    """

    def __init__(self, risks: QuerySet[Risk]):
        self.risks = risks

    def count(self) -> int:
        return self.risks.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, rows: slice) -> list[Risk]:
        return list(self.risks.filter(pk__in=self.risks.values("pk")[rows]))


def _ordered(risks: QuerySet[Risk], ordering: str) -> QuerySet[Risk]:
    descending = ordering.startswith("-")
    key = ordering.lstrip("-")
    if key not in ORDERINGS:
        key, descending = "ref", False
    sign = "-" if descending else ""
    if key in {"level", "residual_level"}:
        # Severity order, not alphabetical: the likelihood within a level breaks ties.
        likelihood = "likelihood" if key == "level" else "residual_likelihood"
        risks = risks.annotate(level_rank=_level_rank(key))
        return risks.order_by(f"{sign}level_rank", f"{sign}{likelihood}", "number")
    if key == "score":
        return risks.annotate(score_value=F("likelihood") * F("impact")).order_by(
            f"{sign}score_value", "number"
        )
    return risks.order_by(f"{sign}{ORDERINGS[key]}", "number")


def _level_rank(field: str) -> Case:
    whens = [When(**{field: key}, then=Value(index)) for index, key in enumerate(LEVEL_SORT)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


@dataclass(frozen=True)
class HeatMapCell:
    likelihood: int
    impact: int
    level: str
    count: int  # open risks rated in this cell
    named: list[Risk]  # the first of them by reference, at most CELL_NAMES

    @property
    def more(self) -> int:
        """The cell's risks it does not name (the register filtered to the cell lists them all)."""
        return self.count - len(self.named)


@dataclass(frozen=True)
class HeatMap:
    matrix: RiskMatrix
    rating: str  # "inherent" or "residual"
    cells: list[HeatMapCell]  # every cell of the matrix, by likelihood then impact, lowest first
    total: int  # open, rated risks
    not_rated: int  # open risks nobody has rated yet, counted apart


def _cell_counts(risks: QuerySet[Risk], likelihood: str, impact: str) -> tuple[dict, int]:
    """Risks per (likelihood, impact) cell, and those not rated counted apart: one aggregate."""
    counts, not_rated = {}, 0
    for value_l, value_i, count in (
        risks.values_list(likelihood, impact).annotate(count=Count("id")).order_by()
    ):
        if value_l is None or value_i is None:
            not_rated += count
        else:
            counts[value_l, value_i] = count
    return counts, not_rated


def _cell_names(risks: QuerySet[Risk], likelihood: str, impact: str) -> dict[tuple[int, int], list[Risk]]:
    """The first CELL_NAMES risks of each cell by reference, read in the order of the index on
    (status, likelihood, impact, number): one query, no sort of the whole register."""
    first = (
        risks.filter(**{f"{likelihood}__isnull": False, f"{impact}__isnull": False})
        .annotate(
            place=Window(RowNumber(), partition_by=[F(likelihood), F(impact)], order_by=F("number").asc())
        )
        .filter(place__lte=CELL_NAMES)
        .only("number", "title", likelihood, impact)
        .order_by("number")
    )
    named = {}
    for risk in first:
        named.setdefault((getattr(risk, likelihood), getattr(risk, impact)), []).append(risk)
    return named


def heatmap(*, matrix: RiskMatrix, rating: str = "inherent") -> HeatMap:
    """Open risks on `matrix` per (likelihood, impact) cell, each cell naming its first few by
    reference, and those not rated counted apart: two queries, whatever the size of the register."""
    likelihood, impact, _level = RATINGS[rating]
    open_risks = Risk.objects.filter(status=RiskStatus.OPEN)
    counts, not_rated = _cell_counts(open_risks, likelihood, impact)
    named = _cell_names(open_risks, likelihood, impact)
    cells = [
        HeatMapCell(
            likelihood=value_l,
            impact=value_i,
            level=matrix.level_of(value_l, value_i),
            count=counts.get((value_l, value_i), 0),
            named=named.get((value_l, value_i), []),
        )
        for value_l in (scale["value"] for scale in matrix.likelihood)
        for value_i in (scale["value"] for scale in matrix.impact)
    ]
    return HeatMap(matrix=matrix, rating=rating, cells=cells, total=sum(counts.values()), not_rated=not_rated)


def risk_history(*, risk: Risk) -> QuerySet[ScoreChange]:
    return risk.score_changes.select_related("by", "review", "import_job").defer("import_job__content")


def actions_overdue(*, now: dt.datetime) -> QuerySet[TreatmentAction]:
    """Open treatment actions past their due date, the longest overdue first, with risk and owner."""
    return (
        TreatmentAction.objects.filter(status=ActionStatus.OPEN, due_at__lt=now)
        .exclude(risk__status=RiskStatus.ARCHIVED)
        .select_related("risk", "owner")
        .order_by("due_at")
    )


def categories_with_appetite() -> QuerySet[Category]:
    """The active categories, each with `outside`: its open risks outside appetite."""
    outside = Q(risks__status=RiskStatus.OPEN, risks__above_appetite=True)
    return Category.objects.filter(active=True).annotate(outside=Count("risks", filter=outside))
