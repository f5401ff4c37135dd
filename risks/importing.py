"""Importing the register from CSV or XLSX: every row checked, all written or nothing, a preview first.

A row whose `ref` names an existing risk updates it; a row without one (or with a new ref) creates
a risk. Every row is written through the register's services (risks.services), as any other
write: the row is locked, the status moves by its rules, a worse residual level brings the review
forward, the audit names the importer, and a change of ratings is in the risk's history with the
import as its reason and its source. A risk changed by someone else after the file was checked
refuses the whole import (the line is named), so a concurrent edit is never overwritten unseen.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidTransition
from core.limits import MAX_DURATION, TEXT_MAX_LENGTH, text_too_long_message
from people.selectors import people_active
from playbooks.models import Playbook
from risks import cells, services
from risks.cells import SHOWN_MOMENT, Names
from risks.checks import moment_errors
from risks.columns import COLUMNS, DERIVED_COLUMNS, REQUIRED_COLUMNS, column_of_heading
from risks.models import (
    Category,
    ChangeSource,
    ImportJob,
    ImportStatus,
    Risk,
    RiskMatrix,
    RiskStatus,
    Source,
    Treatment,
)
from risks.scoring import RATING_FIELDS, pair_errors, scale_error
from risks.spreadsheet import MalformedFile, read_rows

REF = re.compile(r"^R-(\d+)$")
PROGRESS_EVERY = 500
CHANGES_KEPT = 500  # the preview lists this many changes; the counts cover them all
BY_ID = {"category", "owner", "playbook"}
COMPARED = [column for column in COLUMNS if column != "ref"]

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    written: bool = False


@dataclass
class Lookups:
    names: Names
    risks: dict[int, Risk]
    matrices: dict[int, RiskMatrix]
    active: RiskMatrix
    read: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Lookups":
        active = services.matrix_ensure_default()
        return cls(
            names=Names.load(),
            risks=Risk.objects.in_bulk(field_name="number"),
            matrices=RiskMatrix.objects.in_bulk(),
            active=active,
        )

    def matrix_for(self, risk: Risk | None) -> RiskMatrix:
        """The matrix a row is rated on: its risk's version, or the active one for a new risk."""
        return self.matrices[risk.matrix_id] if risk else self.active

    def unknown_category(self, raw: str) -> str:
        return _("Unknown category “%(raw)s”. One of: %(known)s.") % {
            "raw": raw,
            "known": self.names.category_list(),
        }

    def objects(self, values: dict) -> dict:
        """A row's values as the services take them: the category, owner and playbook themselves
        (each read once per import)."""
        values = dict(values)
        if "category" in values:
            values["category"] = self._one(Category.objects.all(), values["category"])
        if "owner" in values:
            values["owner"] = self._one(people_active(), values["owner"])
        if values.get("playbook") is not None:
            values["playbook"] = self._one(Playbook.objects.only("id"), values["playbook"])
        return values

    def _one(self, queryset, pk: int):
        key = (queryset.model, pk)
        if key not in self.read:
            self.read[key] = queryset.get(pk=pk)
        return self.read[key]

    def shown(self, values: dict, columns, *, matrix: RiskMatrix) -> list[list[str]]:
        """The row's values of these columns as the importing person reads them (a rating with its
        label, "4 · Likely"), the empty ones left out."""
        shown = []
        for column in columns:
            value = self.names.shown(column, values[column])
            if value is None:
                continue
            if column in RATING_FIELDS:
                scale = matrix.impact if column.endswith("impact") else matrix.likelihood
                value = cells.step_label(scale[value - 1])
            text = value.strftime(SHOWN_MOMENT) if isinstance(value, dt.datetime) else str(value)
            shown.append([column, text])
        return shown


class RowErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def _clean_row(row: dict[str, str], lookups: Lookups) -> dict:
    """The values of one row, typed and checked; RowErrors names every bad field.

    Category, owner and playbook are given by their ids."""
    errors, values = {}, {}

    def take(column, parse):
        raw = (row.get(column) or "").strip()
        try:
            values[column] = parse(raw)
        except ValueError as error:
            errors[column] = str(error)

    take("ref", _ref)
    existing = lookups.risks.get(values.get("ref"))
    matrix = lookups.matrix_for(existing)
    take("title", _title)
    for column in ("cause", "event", "consequence"):
        values[column] = row.get(column) or ""
        if len(values[column]) > TEXT_MAX_LENGTH:
            errors[column] = text_too_long_message()
    names = lookups.names
    take("category", lambda raw: cells.known(raw, names.category_of, lookups.unknown_category))
    take("owner", lambda raw: cells.known(raw, names.person_of, _unknown_user))
    take("source", lambda raw: cells.choice(raw or Source.INTERNAL, Source))
    take("treatment", lambda raw: cells.choice(raw or Treatment.MITIGATE, Treatment))
    take("status", lambda raw: cells.choice(raw or RiskStatus.OPEN, RiskStatus))
    take("playbook", lambda raw: names.playbook(raw, current=existing.playbook_id if existing else None))
    take("review_interval_days", lambda raw: cells.whole(raw, required=False, maximum=MAX_DURATION.days))
    take("next_review_at", cells.moment)
    for column in RATING_FIELDS:
        # Empty ratings: a risk not rated yet (it stays so, or keeps the ratings it has).
        scale = matrix.impact if column.endswith("impact") else matrix.likelihood
        take(column, lambda raw, scale=scale: cells.rating(raw, scale))
    for column in RATING_FIELDS:
        if values.get(column) is not None and (message := scale_error(matrix, column, values[column])):
            errors[column] = message
    for column, messages in pair_errors(values).items():
        errors.setdefault(column, messages[0])
    if values.get("likelihood") is None and any(
        values.get(column) is not None for column in RATING_FIELDS[2:]
    ):
        errors.setdefault("likelihood", _("Rate the inherent risk first."))
    if errors:
        raise RowErrors(errors)
    if values["residual_likelihood"] is None:
        values["residual_likelihood"], values["residual_impact"] = values["likelihood"], values["impact"]
    return values


def _ref(raw: str) -> int | None:
    if not raw:
        return None
    if match := REF.match(raw):
        return int(match.group(1))
    raise ValueError(_("A reference looks like R-0042."))


def _title(raw: str) -> str:
    if not raw:
        raise ValueError(_("A title is required."))
    if len(raw) > 300:
        raise ValueError(_("At most 300 characters."))
    return raw


def _unknown_user(raw: str) -> str:
    return _("Unknown user “%s”: give a username or a full name.") % raw


def _columns(header: list[str], report: "ImportReport") -> list[str | None]:
    """The column each heading of the file names (by key, or by heading in either language); None
    for a column worked out from the others. Every unknown, repeated or missing column is an error."""
    known = column_of_heading()
    columns: list[str | None] = []
    for text in header:
        column = known.get(text.casefold())
        if column is None:
            report.errors.append({"line": 1, "field": text, "message": _("Unknown column.")})
        elif column in columns:
            report.errors.append({"line": 1, "field": column, "message": _("This column is there twice.")})
        columns.append(None if column in DERIVED_COLUMNS else column)
    for column in sorted(REQUIRED_COLUMNS - set(columns)):
        report.errors.append({"line": 1, "field": column, "message": _("This column is missing.")})
    return columns


def import_register(
    *,
    content: bytes,
    filename: str,
    by,
    dry_run: bool = False,
    progress: Progress | None = None,
    job: ImportJob | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Checks every row; writes all of them in one transaction, or (on any error, or dry run) nothing.

    `job`, when the import has one, is the source each change of ratings links to."""
    now = now or timezone.now()
    report = ImportReport()
    try:
        header, rows = read_rows(content, filename)
        rows = list(rows)
    except MalformedFile as error:
        report.errors.append({"line": 1, "field": "file", "message": str(error)})
        return report
    columns = _columns(header, report)
    if report.errors:
        return report
    rows = [
        (line, {column: cell for column, cell in zip(columns, cells, strict=True) if column})
        for line, cells in rows
    ]
    report.total = len(rows)
    lookups = Lookups.load()
    cleaned, seen = [], {}
    for index, (line, row) in enumerate(rows, start=1):
        try:
            values = _clean_row(row, lookups)
        except RowErrors as error:
            report.errors += [
                {"line": line, "field": name, "message": text} for name, text in error.errors.items()
            ]
        else:
            if values["ref"] is not None and values["ref"] in seen:
                message = _("The same reference is on line %s.") % seen[values["ref"]]
                report.errors.append({"line": line, "field": "ref", "message": message})
            seen[values["ref"]] = line
            cleaned.append((line, values))
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, report.total)
    if report.errors:
        return report
    plan = _plan(cleaned, lookups, report, now=now)
    if report.errors:
        return report
    if not dry_run:
        reason = _("Imported from %s") % filename
        report.errors = _write(plan, lookups, by=by, job=job, reason=reason, now=now)
        report.written = not report.errors
    if progress:
        progress(report.total, report.total)
    return report


@dataclass
class Plan:
    creates: list[tuple[int, dict]] = field(default_factory=list)
    updates: list[tuple[int, Risk, dict]] = field(default_factory=list)


def _plan(cleaned: list[tuple[int, dict]], lookups: Lookups, report: ImportReport, *, now) -> Plan:
    plan = Plan()
    for line, values in cleaned:
        existing = lookups.risks.get(values["ref"])
        if existing is None:
            plan.creates.append((line, values))
            report.created += 1
            changed = COMPARED
            change = {"line": line, "ref": _ref_text(values["ref"]), "action": "create", "fields": []}
            moved = values["next_review_at"]
        else:
            changed = [name for name in COMPARED if _changes(existing, name, values[name])]
            if not changed:
                report.unchanged += 1
                continue
            plan.updates.append((line, existing, {name: values[name] for name in changed}))
            report.updated += 1
            change = {"line": line, "ref": existing.ref, "action": "update", "fields": changed}
            moved = values["next_review_at"] if "next_review_at" in changed else None
        # A review date the row sets must make sense; one it leaves as it is may have passed.
        for name, messages in moment_errors("next_review_at", moved, now=now).items():
            report.errors.append({"line": line, "field": name, "message": messages[0]})
        if len(report.changes) < CHANGES_KEPT:
            matrix = lookups.matrix_for(existing)
            change["values"] = lookups.shown(values, changed, matrix=matrix)
            report.changes.append(change)
    return plan


def _changes(risk: Risk, column: str, value) -> bool:
    """Whether a row's value changes what the risk holds. An empty cell leaves a value as it is,
    except the playbook and the target rating, which it empties; a time shown to the minute (as an
    export for people writes it) leaves the time as it is."""
    if value is None and column not in {"playbook", "target_likelihood", "target_impact"}:
        return False
    held = getattr(risk, f"{column}_id" if column in BY_ID else column)
    if column == "next_review_at" and value == held.replace(second=0, microsecond=0):
        return False
    return held != value


def _ref_text(number: int | None) -> str:
    return "" if number is None else f"R-{number:04d}"


def _write(plan: Plan, lookups: Lookups, *, by, job: ImportJob | None, reason: str, now) -> list[dict]:
    """Writes every row through the register's services in one transaction; on any refusal,
    nothing is written and the refusals are returned, each with its line and field."""
    errors = []
    origin = {"by": by, "reason": reason, "change_source": ChangeSource.IMPORT, "import_job": job, "now": now}
    with transaction.atomic():
        given = [values["ref"] for _line, values in plan.creates if values["ref"] is not None]
        if given:
            services.numbers_reserve(up_to=max(given))
        for line, values in plan.creates:
            fields = lookups.objects(values)
            fields["number"] = fields.pop("ref")
            errors += _refusals(line, lambda fields=fields: services.risk_create(**fields, **origin))
        for line, risk, changes in plan.updates:
            errors += _refusals(
                line,
                lambda risk=risk, changes=changes: services.risk_update(
                    risk=risk, changes=lookups.objects(changes), expected_version=risk.version, **origin
                ),
            )
        if errors:
            transaction.set_rollback(True)
    return errors


def _refusals(line: int, write: Callable[[], object]) -> list[dict]:
    """Runs one row's write; what the service refused, as the report's line errors."""
    try:
        write()
    except ValidationError as error:
        return [
            {"line": line, "field": name, "message": " ".join(messages)}
            for name, messages in error.message_dict.items()
        ]
    except Conflict:
        message = _(
            "Someone changed this risk while the file was imported; nothing was written: import it again."
        )
        return [{"line": line, "field": "ref", "message": message}]
    except InvalidTransition as error:
        return [{"line": line, "field": "status", "message": str(error.detail)}]
    return []


def import_job_create(*, content: bytes, filename: str, by, dry_run: bool) -> ImportJob:
    return ImportJob.objects.create(content=content, filename=filename, created_by=by, dry_run=dry_run)


def import_job_run(*, job_id: int) -> None:
    """Runs a queued import job once (a repeated delivery finds it claimed and does nothing)."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    ):
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)

    def progress(processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=processed, total_rows=total)

    person = job.created_by
    try:
        # The report speaks the importing person's language; a time without an offset is theirs.
        with (
            translation.override(person.language if person else None),
            timezone.override(zoneinfo.ZoneInfo(person.timezone) if person else dt.UTC),
        ):
            report = import_register(
                content=bytes(job.content),
                filename=job.filename,
                by=person,
                dry_run=job.dry_run,
                progress=progress,
                job=job,
            )
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now())
        raise
    import_job_finish(job_id=job_id, report=report)


def import_job_finish(*, job_id: int, report: ImportReport) -> None:
    """Writes an import's report on its job, where the page and the API read it."""
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.DONE,
        total_rows=report.total,
        processed_rows=report.total,
        created_count=report.created,
        updated_count=report.updated,
        unchanged_count=report.unchanged,
        errors=report.errors,
        changes=report.changes,
        finished_at=timezone.now(),
    )
