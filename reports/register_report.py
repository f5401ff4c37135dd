"""What the register's executive report says: the heat map of residual ratings (each cell naming
its risks), the risks above appetite, the largest first, and every KRI with its band, red first.
The page and the PDF are both drawn from one `RegisterReport`."""

import datetime as dt
from dataclasses import dataclass

from core.shortlist import Shortlist
from indicators.models import KRI, Reading
from indicators.selectors import kri_strip
from risks.attention import above_appetite
from risks.models import RiskMatrix
from risks.selectors import HeatMap, HeatMapCell, heatmap, matrix_active

# The risks above appetite the report names; "and N more" stands for the others.
TOP_RISKS = 10


@dataclass(frozen=True)
class HeatMapRow:
    likelihood: dict  # the matrix's likelihood step: value, label_en, label_zh
    cells: list[HeatMapCell]


@dataclass(frozen=True)
class RegisterReport:
    matrix: RiskMatrix
    heatmap: HeatMap
    rows: list[HeatMapRow]  # the most likely first, as the heat map is drawn
    above_appetite: Shortlist
    kris: list[tuple[KRI, list[Reading]]]
    now: dt.datetime


def register_report(*, now: dt.datetime) -> RegisterReport:
    matrix = matrix_active()
    heat = heatmap(matrix=matrix, rating="residual")
    rows = [
        HeatMapRow(likelihood=scale, cells=[cell for cell in heat.cells if cell.likelihood == scale["value"]])
        for scale in reversed(matrix.likelihood)
    ]
    return RegisterReport(
        matrix=matrix,
        heatmap=heat,
        rows=rows,
        above_appetite=above_appetite(now=now, shown=TOP_RISKS),
        kris=kri_strip(),
        now=now,
    )
