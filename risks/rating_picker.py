"""The matrix a person rates on: for each of inherent, residual and target, a grid of cells
(likelihood from the top, impact from the left), each with its level and whether it is above the
organisation's appetite. Drawn by risks/_rating_picker.html; static/risks/rating.js ties a click on
a cell to the form's two selects."""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from risks.models import RiskMatrix

# The ratings a risk has: (field prefix, what people call it).
RATINGS = [("", _("Inherent")), ("residual_", _("Residual")), ("target_", _("Target"))]


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    level: str
    level_label: str
    above_appetite: bool


@dataclass(frozen=True)
class Picker:
    prefix: str
    name: str
    fields: list  # the rating's likelihood and impact fields of the form
    likelihood_labels: list[tuple[int, str]]  # from the top: the most likely first
    impact_labels: list[tuple[int, str]]
    rows: list[list[Cell]]


def _label(entry: dict) -> str:
    return entry["label_zh"] if (get_language() or "").startswith("zh") else entry["label_en"]


def pickers(matrix: RiskMatrix, form) -> dict[str, Picker]:
    """One picker per rating, keyed by the name of the rating's impact field (where it is drawn)."""
    likelihoods = sorted(matrix.likelihood, key=lambda entry: -entry["value"])
    impacts = sorted(matrix.impact, key=lambda entry: entry["value"])
    rows = [
        [
            Cell(
                likelihood["value"],
                impact["value"],
                level := matrix.level_of(likelihood["value"], impact["value"]),
                _label(matrix.level(level)),
                matrix.above_appetite(level),
            )
            for impact in impacts
        ]
        for likelihood in likelihoods
    ]
    return {
        f"{prefix}impact": Picker(
            prefix=prefix,
            name=str(name),
            fields=[form[f"{prefix}likelihood"], form[f"{prefix}impact"]],
            likelihood_labels=[(entry["value"], _label(entry)) for entry in likelihoods],
            impact_labels=[(entry["value"], _label(entry)) for entry in impacts],
            rows=rows,
        )
        for prefix, name in RATINGS
    }
