"""The register exported, for people or as keys.

For people: headings and values in the reader's language — category, owner and playbook by name,
scores, levels and the appetite flag — and times in their time zone. As keys (`keys=True`): the
columns' keys, usernames, playbook numbers and UTC times, for a script's round trip. Importing
either file unchanged changes nothing.
"""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from risks.cells import Names
from risks.columns import EXPORTED, heading
from risks.models import Risk
from risks.spreadsheet import csv_file, xlsx_file

BY_ID = {"category", "owner", "playbook"}
WIDE = {"title": 40, "cause": 40, "event": 40, "consequence": 40, "owner": 20, "playbook": 30}


def _stored(risk: Risk, column: str):
    if column == "ref":
        return risk.ref
    return getattr(risk, f"{column}_id" if column in BY_ID else column)


def _table(risks: Iterable[Risk], *, keys: bool) -> tuple[list[str], Iterator[list]]:
    names = Names.load()
    write = names.key if keys else names.shown
    header = EXPORTED if keys else [heading(column) for column in EXPORTED]
    rows = ([write(column, _stored(risk, column)) for column in EXPORTED] for risk in risks)
    return header, rows


def export_csv(risks: Iterable[Risk], *, keys: bool = False) -> str:
    return csv_file(*_table(risks, keys=keys))


def export_xlsx(risks: Iterable[Risk], *, keys: bool = False) -> bytes:
    widths = [WIDE.get(column, 16) for column in EXPORTED]
    return xlsx_file(*_table(risks, keys=keys), title=_("Risk register"), widths=widths)
