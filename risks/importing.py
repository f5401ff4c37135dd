"""Importing the register from CSV or XLSX: every row checked, all written or nothing, a preview first.

A row whose `ref` names an existing risk updates it; a row without one (or with a new ref) creates
a risk. Every row is written through the register's services (risks.services), as any other
write: the row is locked, the status moves by its rules, a worse residual level brings the review
forward, the audit names the importer, and a change of ratings is in the risk's history with the
import as its reason and its source. A risk changed by someone else after the file was checked
refuses the whole import (the line is named), so a concurrent edit is never overwritten unseen.
"""

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidTransition
from core.limits import INT_MAX, MAX_DURATION, TEXT_MAX_LENGTH, check_instant, text_too_long_message
from people.selectors import people_active
from playbooks.models import Playbook
from risks import services
from risks.checks import moment_errors
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
    category_names: str  # every category, as an error lists them
    playbooks: set[int]
    risks: dict[int, Risk]
    matrices: dict[int, RiskMatrix]
    active: RiskMatrix
    read: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Lookups":
        active = services.matrix_ensure_default()
        categories = list(Category.objects.values_list("id", "key", "label_en", "label_zh"))
        return cls(
            users=_by_any_name(people_active().values_list("id", "username", "first_name", "last_name")),
            categories=_by_any_name(categories),
            category_names=", ".join(
                f"{key} ({english} / {chinese})" for _pk, key, english, chinese in categories
            ),
            playbooks=set(Playbook.objects.values_list("id", flat=True)),
            risks=Risk.objects.in_bulk(field_name="number"),
            matrices=RiskMatrix.objects.in_bulk(),
            active=active,
        )

    def unknown_category(self, raw: str) -> str:
        return _("Unknown category “%(raw)s”. One of: %(known)s.") % {
            "raw": raw,
            "known": self.category_names,
        }

    def objects(self, values: dict) -> dict:
        """A row's values as the services take them: the category, owner and playbook themselves
        (each read once per import)."""
        values = dict(values)
        if "category_id" in values:
            values["category"] = self._one(Category.objects.all(), values.pop("category_id"))
        if "owner_id" in values:
            values["owner"] = self._one(people_active(), values.pop("owner_id"))
        if "playbook_id" in values:
            playbook = values.pop("playbook_id")
            plans = Playbook.objects.only("id")
            values["playbook"] = None if playbook is None else self._one(plans, playbook)
        return values

    def _one(self, queryset, pk: int):
        key = (queryset.model, pk)
        if key not in self.read:
            self.read[key] = queryset.get(pk=pk)
        return self.read[key]


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
    take("category", lambda raw: _known(raw, lookups.categories, lookups.unknown_category))
    take("owner", lambda raw: _known(raw, lookups.users, _unknown_user))
    take("source", lambda raw: _choice(raw or Source.INTERNAL, Source))
    take("treatment", lambda raw: _choice(raw or Treatment.MITIGATE, Treatment))
    take("status", lambda raw: _choice(raw or RiskStatus.OPEN, RiskStatus))
    take("playbook", lambda raw: _playbook(raw, lookups.playbooks))
    take("review_interval_days", lambda raw: _whole(raw, required=False, maximum=MAX_DURATION.days))
    take("next_review_at", _moment)
    for column in RATING_FIELDS:
        # Empty ratings: a risk not rated yet (it stays so, or keeps the ratings it has).
        take(column, lambda raw: _whole(raw, required=False))
    existing = lookups.risks.get(values.get("ref"))
    matrix = lookups.matrices[existing.matrix_id] if existing else lookups.active
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


def _by_any_name(rows) -> dict[str, int]:
    """Each row's id under every name people know it by, case-folded: a key or username first, then
    its labels in both languages, or a person's "first last" and "lastfirst" (as Chinese names are
    written). A name two rows share belongs to neither."""
    names: dict[str, int] = {}
    shared = set()
    for pk, key, *labels in rows:
        if len(labels) == 2 and labels[0] and labels[1] and labels[0] != labels[1]:
            labels = [*labels, f"{labels[0]} {labels[1]}", f"{labels[1]}{labels[0]}"]
        for name in {key, *labels}:
            folded = (name or "").strip().casefold()
            if not folded:
                continue
            if names.get(folded, pk) != pk and name != key:
                shared.add(folded)
            names.setdefault(folded, pk)
    return {name: pk for name, pk in names.items() if name not in shared}


def _known(raw: str, known: dict[str, int], unknown: Callable[[str], str]) -> int:
    if raw.casefold() not in known:
        raise ValueError(unknown(raw))
    return known[raw.casefold()]


def _unknown_user(raw: str) -> str:
    return _("Unknown user “%s”: give a username or a full name.") % raw


@functools.cache
def _choice_names(choices) -> dict[str, str]:
    """Each choice's value under its key and its label in both languages, case-folded."""
    names = {}
    for value, label in choices.choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names[str(label).casefold()] = value
        names[value] = value
    return names


def _choice(raw: str, choices) -> str:
    """A choice by its key or its label in either language."""
    if (value := _choice_names(choices).get(raw.casefold())) is None:
        accepted = ", ".join(f"{key} ({label})" for key, label in choices.choices)
        raise ValueError(_("One of: %s.") % accepted)
    return value


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


# Besides ISO 8601, what office programs write: 2026/12/31, 2026.12.31, with or without a time.
OFFICE_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d %H:%M", "%Y.%m.%d", "%Y-%m-%d")


def _office_moment(raw: str) -> dt.datetime | None:
    try:
        if moment := parse_datetime(raw):
            return moment
    except ValueError:
        pass
    for layout in OFFICE_FORMATS:
        try:
            return dt.datetime.strptime(raw, layout)
        except ValueError:
            continue
    return None


def _moment(raw: str) -> dt.datetime | None:
    if not raw:
        return None
    moment = _office_moment(raw)
    if moment is None:
        raise ValueError(_("“%s” is not a date (2026-12-31, 2026/12/31, optionally with 09:30).") % raw)
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
            change = {"line": line, "ref": _ref_text(values["ref"]), "action": "create", "fields": []}
            moved = values["next_review_at"]
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
            plan.updates.append((line, existing, {name: values[name] for name in changed}))
            report.updated += 1
            change = {"line": line, "ref": existing.ref, "action": "update", "fields": changed}
            moved = values["next_review_at"] if "next_review_at" in changed else None
        # A review date the row sets must make sense; one it leaves as it is may have passed.
        for name, messages in moment_errors("next_review_at", moved, now=now).items():
            report.errors.append({"line": line, "field": name, "message": messages[0]})
        if len(report.changes) < CHANGES_KEPT:
            report.changes.append(change)
    return plan


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

    try:
        report = import_register(
            content=bytes(job.content),
            filename=job.filename,
            by=job.created_by,
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
