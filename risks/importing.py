"""Importing the register from CSV or XLSX: every row checked, all written or nothing, a preview first.

A row whose `ref` names an existing risk updates it; a row without one (or with a new ref) creates
a risk. Rating changes go to each risk's score history with the file as the reason.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.recording import audit_record, audit_record_many, audit_values
from core.limits import INT_MAX, MAX_DURATION, TEXT_MAX_LENGTH, check_instant, text_too_long_message
from people.selectors import people_active
from playbooks.models import Playbook
from risks.models import (
    Category,
    ImportJob,
    ImportStatus,
    Risk,
    RiskMatrix,
    RiskStatus,
    ScoreChange,
    Source,
    Treatment,
)
from risks.scoring import RATING_FIELDS, apply_ratings, review_due, scale_error, snapshot
from risks.services import matrix_ensure_default, numbers_allocate
from risks.spreadsheet import COLUMNS, REQUIRED_COLUMNS, MalformedFile, read_rows

REF = re.compile(r"^R-(\d+)$")
PROGRESS_EVERY = 500
CHANGES_KEPT = 500  # the preview lists this many changes; the counts cover them all
COMPARED = [column for column in COLUMNS if column not in {"ref", "category", "owner", "playbook"}] + [
    "category_id",
    "owner_id",
    "playbook_id",
]

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
    users: dict[str, int]
    categories: dict[str, int]
    playbooks: set[int]
    risks: dict[int, Risk]
    matrices: dict[int, RiskMatrix]
    active: RiskMatrix

    @classmethod
    def load(cls) -> "Lookups":
        active = matrix_ensure_default()
        return cls(
            users=dict(people_active().values_list("username", "id")),
            categories=dict(Category.objects.values_list("key", "id")),
            playbooks=set(Playbook.objects.values_list("id", flat=True)),
            risks=Risk.objects.in_bulk(field_name="number"),
            matrices=RiskMatrix.objects.in_bulk(),
            active=active,
        )


class RowErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def _clean_row(row: dict[str, str], lookups: Lookups) -> dict:
    """The values of one row, typed and checked; RowErrors names every bad field."""
    errors, values = {}, {}

    def take(column, parse):
        raw = (row.get(column) or "").strip()
        try:
            values[column] = parse(raw)
        except ValueError as error:
            errors[column] = str(error)

    take("ref", _ref)
    take("title", _title)
    for column in ("cause", "event", "consequence"):
        values[column] = row.get(column) or ""
        if len(values[column]) > TEXT_MAX_LENGTH:
            errors[column] = text_too_long_message()
    take("category", lambda raw: _known(raw, lookups.categories, _("Unknown category “%s”.")))
    take("owner", lambda raw: _known(raw, lookups.users, _("Unknown user “%s”.")))
    take("source", lambda raw: _choice(raw or Source.INTERNAL, Source))
    take("treatment", lambda raw: _choice(raw or Treatment.MITIGATE, Treatment))
    take("status", lambda raw: _choice(raw or RiskStatus.OPEN, RiskStatus))
    take("playbook", lambda raw: _playbook(raw, lookups.playbooks))
    take("review_interval_days", lambda raw: _whole(raw, required=False, maximum=MAX_DURATION.days))
    take("next_review_at", _moment)
    for column in RATING_FIELDS:
        take(column, lambda raw, column=column: _whole(raw, required=column in REQUIRED_COLUMNS))
    existing = lookups.risks.get(values.get("ref"))
    matrix = lookups.matrices[existing.matrix_id] if existing else lookups.active
    for column in RATING_FIELDS:
        if values.get(column) is not None and (message := scale_error(matrix, column, values[column])):
            errors[column] = message
    if (values.get("target_likelihood") is None) != (values.get("target_impact") is None):
        errors.setdefault("target_impact", _("Give the target likelihood and impact together."))
    if errors:
        raise RowErrors(errors)
    if values["residual_likelihood"] is None or values["residual_impact"] is None:
        values["residual_likelihood"], values["residual_impact"] = values["likelihood"], values["impact"]
    values["category_id"] = values.pop("category")
    values["owner_id"] = values.pop("owner")
    values["playbook_id"] = values.pop("playbook")
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


def _known(raw: str, known: dict[str, int], message: str) -> int:
    if raw not in known:
        raise ValueError(message % raw)
    return known[raw]


def _choice(raw: str, choices) -> str:
    if raw not in choices.values:
        raise ValueError(_("One of: %s.") % ", ".join(choices.values))
    return raw


def _playbook(raw: str, known: set[int]) -> int | None:
    if not raw:
        return None
    number = _whole(raw, required=True)
    if number not in known:
        raise ValueError(_("Unknown playbook %s.") % raw)
    return number


def _whole(raw: str, *, required: bool, maximum: int = INT_MAX) -> int | None:
    if not raw:
        if required:
            raise ValueError(_("Required."))
        return None
    if not raw.isascii() or not raw.isdigit():
        raise ValueError(_("“%s” is not a whole number.") % raw)
    if int(raw) > maximum:
        raise ValueError(_("At most %(max)d.") % {"max": maximum})
    return int(raw)


def _moment(raw: str) -> dt.datetime | None:
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(_("“%s” is not a date and time (ISO 8601).") % raw)
    moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)
    try:
        check_instant(moment)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return moment


def import_register(
    *,
    content: bytes,
    filename: str,
    by,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Checks every row; writes all of them in one transaction, or (on any error, or dry run) nothing."""
    now = now or timezone.now()
    report = ImportReport()
    try:
        header, rows = read_rows(content, filename)
        rows = list(rows)
    except MalformedFile as error:
        report.errors.append({"line": 1, "field": "file", "message": str(error)})
        return report
    for column in sorted(REQUIRED_COLUMNS - set(header)):
        report.errors.append({"line": 1, "field": column, "message": _("This column is missing.")})
    for column in header:
        if column not in COLUMNS:
            report.errors.append({"line": 1, "field": column, "message": _("Unknown column.")})
    if report.errors:
        return report
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
    plan = _plan(cleaned, lookups, report)
    if not dry_run:
        _write(plan, lookups, by=by, reason=_("Imported from %s") % filename, now=now)
        report.written = True
    if progress:
        progress(report.total, report.total)
    return report


@dataclass
class Plan:
    creates: list[tuple[int, dict]] = field(default_factory=list)
    updates: list[tuple[Risk, dict]] = field(default_factory=list)


def _plan(cleaned: list[tuple[int, dict]], lookups: Lookups, report: ImportReport) -> Plan:
    plan = Plan()
    for line, values in cleaned:
        existing = lookups.risks.get(values["ref"])
        if existing is None:
            plan.creates.append((line, values))
            report.created += 1
            change = {"line": line, "ref": _ref_text(values["ref"]), "action": "create", "fields": []}
        else:
            changed = [
                name
                for name in COMPARED
                if values[name] is not None or name in {"playbook_id", "target_likelihood", "target_impact"}
                if getattr(existing, name) != values[name]
            ]
            if not changed:
                report.unchanged += 1
                continue
            plan.updates.append((existing, {name: values[name] for name in changed}))
            report.updated += 1
            change = {"line": line, "ref": existing.ref, "action": "update", "fields": changed}
        if len(report.changes) < CHANGES_KEPT:
            report.changes.append(change)
    return plan


def _ref_text(number: int | None) -> str:
    return "" if number is None else f"R-{number:04d}"


@transaction.atomic
def _write(plan: Plan, lookups: Lookups, *, by, reason: str, now: dt.datetime) -> None:
    history = []
    given = [values["ref"] for _line, values in plan.creates if values["ref"] is not None]
    fresh = iter(numbers_allocate(count=len(plan.creates) - len(given), at_least=max(given, default=0)))
    new_risks = []
    for _line, values in plan.creates:
        risk = Risk(**{name: value for name, value in values.items() if name != "ref"})
        risk.number = values["ref"] if values["ref"] is not None else next(fresh)
        risk.status = values["status"]
        apply_ratings(risk, lookups.active)
        risk.next_review_at = values["next_review_at"] or review_due(risk, lookups.active, now)
        new_risks.append(risk)
    Risk.objects.bulk_create(new_risks, batch_size=1000)
    audit = []
    for risk in new_risks:
        audit_record(risk, by=by, action=AuditAction.CREATED, into=audit)
    history += [
        ScoreChange(risk=risk, at=now, by=by, reason=reason, before={}, after=snapshot(risk))
        for risk in new_risks
    ]
    updated_fields = set()
    for risk, changes in plan.updates:
        before, audited_before = snapshot(risk), audit_values(risk)
        for name, value in changes.items():
            setattr(risk, name, value)
        apply_ratings(risk, lookups.matrices[risk.matrix_id])
        if (after := snapshot(risk)) != before:
            history.append(ScoreChange(risk=risk, at=now, by=by, reason=reason, before=before, after=after))
        risk.version += 1
        updated_fields |= changes.keys()
        audit_record(risk, by=by, action=AuditAction.UPDATED, before=audited_before, into=audit)
    if plan.updates:
        updated_fields |= {
            "level",
            "residual_level",
            "target_level",
            "above_appetite",
            "version",
            "updated_at",
        }
        for risk, _changes in plan.updates:
            risk.updated_at = now
        Risk.objects.bulk_update(
            [risk for risk, _changes in plan.updates], sorted(updated_fields), batch_size=1000
        )
    ScoreChange.objects.bulk_create(history, batch_size=1000)
    audit_record_many(audit)


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

    try:
        report = import_register(
            content=bytes(job.content),
            filename=job.filename,
            by=job.created_by,
            dry_run=job.dry_run,
            progress=progress,
        )
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now())
        raise
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
