"""The register as a table: the columns, written to and read from CSV and XLSX."""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from risks.models import Risk

COLUMNS = [
    "ref",
    "title",
    "cause",
    "event",
    "consequence",
    "category",
    "source",
    "owner",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "target_likelihood",
    "target_impact",
    "treatment",
    "playbook",
    "review_interval_days",
    "next_review_at",
    "status",
]
REQUIRED_COLUMNS = {"title", "category", "owner", "likelihood", "impact"}


# A file holds at most this many rows and columns, and an XLSX file unpacks to at most this
# many bytes (a small zip can hold gigabytes of sheet).
MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024


# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP: CSV
# injection). In a CSV it leaves with a leading apostrophe, which the import takes off again; in
# an XLSX it is a text cell. The stored text is never changed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRAL = "'"
# Excel on a Chinese Windows reads a CSV as UTF-8 only when it starts with the byte-order mark.
BOM = "\ufeff"


def neutral(text: str) -> str:
    return NEUTRAL + text if text.startswith(FORMULA_STARTS) else text


def as_written(text: str) -> str:
    """The text a CSV cell stood for: the apostrophe that kept it from being a formula taken off."""
    return text[1:] if text.startswith(NEUTRAL) and text[1:].startswith(FORMULA_STARTS) else text


class MalformedFile(Exception):
    """The file is not a CSV or XLSX table this register can read."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return str(value)


def risk_row(risk: Risk) -> list[str]:
    values = {
        "ref": risk.ref,
        "category": risk.category.key,
        "owner": risk.owner.username,
        "playbook": risk.playbook_id,
    }
    return [_text(values[column] if column in values else getattr(risk, column)) for column in COLUMNS]


def export_csv(risks: Iterable[Risk]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([neutral(cell) for cell in risk_row(risk)] for risk in risks)
    return out.getvalue()


def _text_cell(sheet, text: str) -> WriteOnlyCell:
    """A cell that holds text, even text that starts like a formula."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def export_xlsx(risks: Iterable[Risk]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("risks")
    sheet.append(COLUMNS)
    for risk in risks:
        sheet.append([_text_cell(sheet, cell) for cell in risk_row(risk)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_rows(content: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and the rows of a CSV or XLSX file, each row with its line number (header = 1)."""
    if filename.lower().endswith(".xlsx"):
        table = _bounded(_xlsx_table(content))
    elif filename.lower().endswith(".csv"):
        table = _bounded(_csv_table(content))
    else:
        raise MalformedFile(_("Only .csv and .xlsx files can be imported."))
    try:
        header = [cell.strip() for cell in next(table)]
    except StopIteration:
        raise MalformedFile(_("The file is empty.")) from None

    def rows():
        for line, cells in enumerate(table, start=2):
            if any(cells):
                yield line, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))

    return header, rows()


def _csv_table(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MalformedFile(_("The CSV file is not UTF-8 text.")) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        return iter([[as_written(cell) for cell in cells] for cells in rows])
    except csv.Error as error:
        raise MalformedFile(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _bounded(table: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows, refusing a table with more than MAX_ROWS rows or MAX_COLUMNS columns."""
    for count, cells in enumerate(table, start=1):
        if count > MAX_ROWS + 1:  # and the header
            raise MalformedFile(_("At most %(count)d rows per file.") % {"count": MAX_ROWS})
        if len(cells) > MAX_COLUMNS:
            raise MalformedFile(_("At most %(count)d columns per file.") % {"count": MAX_COLUMNS})
        yield cells


def _xlsx_table(content: bytes) -> Iterator[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise MalformedFile(_("The XLSX file cannot be read.")) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise MalformedFile(_("The XLSX file cannot be read.")) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise MalformedFile(_("The XLSX file cannot be read.")) from error
    return ([_text(cell) for cell in row] for row in workbook.worksheets[0].iter_rows(values_only=True))
