"""The import template: an XLSX workbook to fill in, in the reader's language.

The first sheet has the header row the import reads (frozen, with filters) and a drop-down list in
every column that takes one of a closed list of values — category, source, owner, the ratings on the
matrix's scales, treatment, playbook, status — kept on a hidden sheet; the instructions sheet says
what to write in each column and what is accepted.
"""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.limits import MAX_DURATION
from people.selectors import people_active
from risks.cells import CHOICES, Names, step_label
from risks.columns import COLUMNS, DERIVED_COLUMNS, GUIDANCE, REQUIRED_COLUMNS, heading
from risks.models import Category, RiskMatrix, in_current_language
from risks.scoring import RATING_FIELDS
from risks.spreadsheet import MAX_ROWS

WIDTHS = {"title": 40, "cause": 32, "event": 32, "consequence": 32, "owner": 20, "playbook": 30}
# Columns that accept more than their lists offer (a spreadsheet program warns rather than refuses),
# and what the instructions say of them instead of listing every name.
OPEN_ENDED = {
    "owner": gettext_lazy("A name from the drop-down list, or a username."),
    "playbook": gettext_lazy("A name from the drop-down list, or the playbook's number."),
}


def closed_lists(*, names: Names, matrix: RiskMatrix) -> dict[str, list[str]]:
    """What each column with a closed list offers, in the reader's language."""
    lists = {
        "category": [category.label for category in Category.objects.filter(active=True)],
        "owner": sorted(
            {names.people[pk][1] for pk in people_active().values_list("id", flat=True)}, key=str.casefold
        ),
        "playbook": names.playbook_names(),
    }
    lists |= {column: [str(label) for label in choices.labels] for column, choices in CHOICES.items()}
    for column in RATING_FIELDS:
        scale = matrix.impact if column.endswith("impact") else matrix.likelihood
        lists[column] = [step_label(step) for step in scale]
    return {column: lists[column] for column in COLUMNS if lists.get(column)}


def import_template_xlsx(*, matrix: RiskMatrix) -> bytes:
    lists = closed_lists(names=Names.load(), matrix=matrix)
    workbook = Workbook()
    risks = workbook.active
    risks.title = _("Risks")
    risks.append([heading(column) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        risks.cell(row=1, column=index).font = Font(bold=True)
        risks.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 16)
    risks.freeze_panes = "A2"
    risks.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"
    _instructions(workbook.create_sheet(_("How to fill in")), lists)
    _validations(risks, workbook.create_sheet(_("Lists")), lists)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rows(column: str) -> str:
    """The cells of a column below the header, as far as a file may go."""
    letter = get_column_letter(COLUMNS.index(column) + 1)
    return f"{letter}2:{letter}{MAX_ROWS + 1}"


def _validations(risks, sheet, lists: dict[str, list[str]]) -> None:
    """Each closed list in a column of the hidden sheet, and a drop-down of it in its column."""
    sheet.sheet_state = "hidden"
    for index, (column, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=heading(column))
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value).data_type = "s"
        validation = DataValidation(
            type="list",
            formula1=f"'{sheet.title}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if column in OPEN_ENDED else "stop",
            errorTitle=heading(column),
            error=_("Choose a value from the list."),
        )
        validation.add(_rows(column))
        risks.add_data_validation(validation)
    days = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2=str(MAX_DURATION.days),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=heading("review_interval_days"),
        error=_("A whole number of days from 1 to %(max)d.") % {"max": MAX_DURATION.days},
    )
    days.add(_rows("review_interval_days"))
    risks.add_data_validation(days)


def _instructions(sheet, lists: dict[str, list[str]]) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    semicolon = in_current_language("; ", "；")  # between the accepted values, as each language writes it

    def note(text: str, *, lines: int) -> None:
        """A paragraph across the table's width."""
        sheet.append([text])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        sheet.cell(row=row, column=1).alignment = wrap
        sheet.row_dimensions[row].height = 16 * lines

    note(_("Fill in one risk per row on the first sheet, under its header, then import the file."), lines=1)
    note(
        _(
            "If any row is wrong, nothing is written and each problem is reported with its line "
            "and column. An export of the register can be imported too: its scores, levels and "
            "appetite flag are worked out from the ratings, so they are passed over."
        ),
        lines=2,
    )
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("What to write"), _("Accepted values")])
    for index, width in enumerate((26, 10, 60, 60), start=1):
        sheet.cell(row=4, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column in COLUMNS:
        accepted = str(OPEN_ENDED[column]) if column in OPEN_ENDED else semicolon.join(lists.get(column, []))
        required = _("Yes") if column in REQUIRED_COLUMNS else ""
        sheet.append([heading(column), required, str(GUIDANCE[column]), accepted])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    sheet.append([])
    derived = in_current_language(", ", "、").join(heading(column) for column in DERIVED_COLUMNS)
    note(_("Worked out, passed over on import: %(columns)s.") % {"columns": derived}, lines=2)
