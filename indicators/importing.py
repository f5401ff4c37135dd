"""CSV import of readings: rows `kri,value,measured_at`, read into the bulk endpoint's input."""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COLUMNS = ("kri", "value", "measured_at")
MAX_ROWS = 100_000


def readings_from_csv(content: bytes) -> list[dict]:
    """The rows as dicts of text; a file that is not such a CSV raises a `file` field error."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": [_("The file must be UTF-8 text.")]}) from None
    try:
        return _rows(csv.DictReader(io.StringIO(text)))
    except csv.Error as error:
        raise ValidationError(
            {"file": [_("The CSV file cannot be read: %(error)s") % {"error": error}]}
        ) from None


def _rows(reader: csv.DictReader) -> list[dict]:
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            {
                "file": [
                    _("Missing columns: %(columns)s (expected kri, value, measured_at).")
                    % {"columns": ", ".join(missing)}
                ]
            }
        )
    rows = [{column: (row.get(column) or "").strip() for column in COLUMNS} for row in reader]
    if not rows:
        raise ValidationError({"file": [_("The file has no readings.")]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": [_("At most %(count)d readings per file.") % {"count": MAX_ROWS}]})
    return [{key: value for key, value in row.items() if value or key != "measured_at"} for row in rows]
