"""A table in a file: CSV and XLSX, written so office programs read them right, read back safely."""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from risks.cells import SHOWN_MOMENT

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
# How an XLSX file shows a time: as the pages do, to the minute.
DATE_FORMAT = "yyyy-mm-dd hh:mm"


def neutral(text: str) -> str:
    return NEUTRAL + text if text.startswith(FORMULA_STARTS) else text


def as_written(text: str) -> str:
    """The text a CSV cell stood for: the apostrophe that kept it from being a formula taken off."""
    return text[1:] if text.startswith(NEUTRAL) and text[1:].startswith(FORMULA_STARTS) else text


class MalformedFile(Exception):
    """The file is not a CSV or XLSX table this register can read."""


def _text(value) -> str:
    """A cell of an XLSX file as text: a whole number without ".0"; a date as written, to the second,
    with no time zone (the importing person's applies)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            # A spreadsheet keeps a time as a fraction of a day: round away the float's error.
            value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _written(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime(SHOWN_MOMENT) if value.tzinfo is None else value.isoformat()
    return str(value)


def csv_file(header: list[str], rows: Iterable[list]) -> str:
    """A CSV table after a byte-order mark, no cell starting like a formula."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutral(_written(value)) for value in row] for row in rows)
    return out.getvalue()


def _cell(sheet, value) -> WriteOnlyCell:
    """A number as a number, a date as a date, anything else as text (even text that starts like a
    formula)."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.datetime):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.data_type = "s"
    return cell


def header_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell


def xlsx_file(header: list[str], rows: Iterable[list], *, title: str, widths: list[int]) -> bytes:
    """One sheet: the header frozen at the top with a filter on every column, then the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([header_cell(sheet, text) for text in header])
    lines = 1
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        lines += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{lines}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_rows(content: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the rows of a CSV or XLSX file, each row's cells as many as the header's,
    with its line number (header = 1)."""
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
                yield line, (cells + [""] * len(header))[: len(header)]

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
