"""The importer writes through the register's services: an import racing an edit of the same risk
keeps both changes or refuses one, and never leaves a level that disagrees with its ratings.

The races need PostgreSQL's row locks (SQLite locks the whole database, and a writer that waited
is refused with "database is locked" rather than served in turn)."""

import csv
import io
import threading

import pytest
from django.db import connection

from core.errors import Conflict
from risks import importing, services
from risks.exporting import export_csv
from risks.models import ChangeSource, Risk, ScoreChange
from risks.spreadsheet import BOM
from tests.factories import NOW

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks: PostgreSQL"),
]
WAIT = 10  # seconds a thread may wait for the other before the test fails


def file_renaming(risk: Risk, title: str, inherent: tuple[int, int] = (5, 5)) -> bytes:
    """The register's own export of `risk` (as keys), with a new title, inherent `inherent` and
    residual 5 × 5."""
    [row] = csv.DictReader(io.StringIO(export_csv(Risk.objects.filter(pk=risk.pk), keys=True).lstrip(BOM)))
    likelihood, impact = inherent
    row.update(title=title, likelihood=str(likelihood), impact=str(impact))
    row.update(residual_likelihood="5", residual_impact="5")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode()


def assert_consistent(risk: Risk) -> Risk:
    """Levels follow the ratings, and the newest history entry is what the risk holds."""
    risk = Risk.objects.select_related("matrix").get(pk=risk.pk)
    assert risk.level == risk.matrix.level_of(risk.likelihood, risk.impact)
    assert risk.residual_level == risk.matrix.level_of(risk.residual_likelihood, risk.residual_impact)
    latest = risk.score_changes.first()
    assert latest.after["likelihood"] == risk.likelihood
    assert latest.after["residual_likelihood"] == risk.residual_likelihood
    assert latest.after["residual_level"] == risk.residual_level
    return risk


def run(*targets):
    """Runs each target in a thread of its own (with its own connection); returns what each raised."""
    outcomes = [None] * len(targets)

    def wrap(index, target):
        try:
            outcomes[index] = target()
        except Exception as error:  # noqa: BLE001 - the test asserts on it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
        assert not thread.is_alive()
    return outcomes


def test_an_edit_between_the_check_and_the_write_refuses_the_import(make_risk, risk_officer, monkeypatch):
    risk = make_risk()  # 3 × 4 high, version 1
    checked, edited = threading.Event(), threading.Event()
    write = importing._write

    def write_after_the_edit(*args, **kwargs):
        checked.set()
        assert edited.wait(WAIT)
        return write(*args, **kwargs)

    monkeypatch.setattr(importing, "_write", write_after_the_edit)

    def edit():
        assert checked.wait(WAIT)
        try:
            return services.risk_update(
                risk=risk,
                by=risk_officer,
                changes={"residual_likelihood": 1, "residual_impact": 1},
                reason="Backup supplier signed",
                expected_version=1,
            )
        finally:
            edited.set()

    content = file_renaming(risk, "Renamed by the file")
    report, edited_risk = run(
        lambda: importing.import_register(content=content, filename="race.csv", by=risk_officer, now=NOW),
        edit,
    )
    assert isinstance(edited_risk, Risk)
    assert not report.written and [(e["line"], e["field"]) for e in report.errors] == [(2, "ref")]
    risk = assert_consistent(risk)
    assert (risk.title, risk.likelihood, risk.residual_likelihood, risk.version) == (
        "Key supplier stops deliveries",
        3,
        1,
        2,
    )
    assert not ScoreChange.objects.filter(source=ChangeSource.IMPORT).exists()


def test_an_edit_while_the_import_holds_the_row_waits_then_keeps_both_or_is_refused(
    make_risk, risk_officer, monkeypatch
):
    first, second = make_risk(), make_risk(title="Second risk")
    updated, release = threading.Event(), threading.Event()
    update = services.risk_update

    def update_then_hold(**kwargs):
        result = update(**kwargs)
        if kwargs.get("change_source") == ChangeSource.IMPORT:
            updated.set()  # the row is locked and changed; the import's transaction is still open
            assert release.wait(WAIT)
        return result

    monkeypatch.setattr(services, "risk_update", update_then_hold)

    def edit(risk, **extra):
        def act():
            assert updated.wait(WAIT)
            blocked = threading.Timer(0.3, release.set)  # the edit is queued on the row lock by then
            blocked.start()
            return update(
                risk=risk,
                by=risk_officer,
                changes={"residual_likelihood": 1, "residual_impact": 2},
                reason="Second supplier qualified",
                **extra,
            )

        return act

    # An edit that read version 1 is refused once the import committed version 2; one that names
    # no version (a KRI moving a review, a service) is applied on top of the import's values.
    report, refused = run(
        lambda: importing.import_register(
            content=file_renaming(first, "Renamed by the file"), filename="a.csv", by=risk_officer, now=NOW
        ),
        edit(first, expected_version=1),
    )
    assert report.written and isinstance(refused, Conflict)
    first = assert_consistent(first)
    assert (first.title, first.likelihood, first.residual_likelihood, first.version) == (
        "Renamed by the file",
        5,
        5,
        2,
    )
    updated.clear(), release.clear()
    report, kept = run(
        lambda: importing.import_register(
            content=file_renaming(second, "Renamed too"), filename="b.csv", by=risk_officer, now=NOW
        ),
        edit(second),
    )
    assert report.written and isinstance(kept, Risk)
    second = assert_consistent(second)
    assert (second.title, second.likelihood, second.residual_likelihood, second.residual_level) == (
        "Renamed too",
        5,
        1,
        "low",
    )
    assert second.version == 3
    reasons = list(second.score_changes.values_list("reason", "source"))
    assert reasons[:2] == [("Second supplier qualified", "other"), ("Imported from b.csv", "import")]


# Inherent (likelihood, impact) of each round's file: none the risk starts with (3 × 4) or another round's.
ROUND_RATINGS = [(5, 5), (5, 4), (4, 5), (4, 4), (5, 3), (3, 5)]


def race_once(risk: Risk, by, round_: int) -> None:
    """An import and an edit of `risk` started together: each is kept or refused, never torn."""
    barrier = threading.Barrier(2)
    seen = Risk.objects.get(pk=risk.pk).version
    # Each round's file rates the risk as no earlier round did (the edit leaves the inherent
    # rating alone), so an import that goes through always records a score change of its own.
    inherent = ROUND_RATINGS[round_]
    content, name = file_renaming(risk, f"Round {round_}", inherent), f"{round_}.csv"
    value = 1 + round_ % 4

    def import_it():
        barrier.wait(WAIT)
        return importing.import_register(content=content, filename=name, by=by)

    def edit_it():
        barrier.wait(WAIT)
        return services.risk_update(
            risk=risk,
            by=by,
            changes={"residual_likelihood": value, "residual_impact": value},
            reason=f"Edit {round_}",
            expected_version=seen,
        )

    report, edited = run(import_it, edit_it)
    imported = report.written
    assert imported or [error["field"] for error in report.errors] == ["ref"]
    assert isinstance(edited, (Risk, Conflict))
    assert imported or isinstance(edited, Risk)  # at least one of the two went through
    current = assert_consistent(risk)
    assert current.version == seen + imported + isinstance(edited, Risk)
    assert (current.title == f"Round {round_}") == imported
    from_file = risk.score_changes.filter(source=ChangeSource.IMPORT, reason=f"Imported from {name}")
    assert from_file.count() == imported


def test_imports_and_edits_racing_freely_never_tear_a_level(make_risk, risk_officer):
    """No pauses: both start together, six times over."""
    risk = make_risk()
    for round_ in range(len(ROUND_RATINGS)):
        race_once(risk, risk_officer, round_)
