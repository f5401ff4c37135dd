"""The matrix a person rates on: for each of inherent, residual and target, a grid of cells
(likelihood from the top, impact from the left), each with its level and whether it is above the
organisation's appetite, in the colour of its level. Drawn by risks/_matrix_drawing.html, which the
matrix's own pages draw too; static/risks/rating.js ties a click on a cell to the form's two selects."""

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
    color: str
    above_appetite: bool


@dataclass(frozen=True)
class Row:
    likelihood: int
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Drawing:
    """A matrix version as raters see it (risks/_matrix_drawing.html): rows from the most likely."""

    version: int
    rows: list[Row]
    impact_labels: list[tuple[int, str]]


@dataclass(frozen=True)
class Picker:
    prefix: str
    name: str
    fields: list  # the rating's likelihood and impact fields of the form
    drawing: Drawing


def _label(entry: dict) -> str:
    return entry["label_zh"] if (get_language() or "").startswith("zh") else entry["label_en"]


def drawing(matrix: RiskMatrix) -> Drawing:
    impacts = sorted(matrix.impact, key=lambda entry: entry["value"])
    rows = []
    for likelihood in sorted(matrix.likelihood, key=lambda entry: -entry["value"]):
        cells = []
        for impact in impacts:
            level = matrix.level(matrix.level_of(likelihood["value"], impact["value"]))
            cells.append(
                Cell(
                    likelihood["value"],
                    impact["value"],
                    level["key"],
                    _label(level),
                    level["color"],
                    matrix.above_appetite(level["key"]),
                )
            )
        rows.append(Row(likelihood["value"], _label(likelihood), cells))
    return Drawing(matrix.version, rows, [(entry["value"], _label(entry)) for entry in impacts])


def pickers(matrix: RiskMatrix, form) -> dict[str, Picker]:
    """One picker per rating, keyed by the name of the rating's impact field (where it is drawn)."""
    drawn = drawing(matrix)
    return {
        f"{prefix}impact": Picker(
            prefix=prefix,
            name=str(name),
            fields=[form[f"{prefix}likelihood"], form[f"{prefix}impact"]],
            drawing=drawn,
        )
        for prefix, name in RATINGS
    }
