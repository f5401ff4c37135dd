"""manage.py import_risks FILE: imports a CSV or XLSX register with a progress bar."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.models import User
from risks.importing import import_job_create, import_job_finish, import_register

BAR_WIDTH = 40


class Command(BaseCommand):
    help = "Imports risks from a CSV or XLSX file: every row checked, all written or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and preview; write nothing.")
        parser.add_argument("--by", help="Username recorded as the author of the score history.")

    def handle(self, *args, file: Path, dry_run: bool, by: str | None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        author = User.objects.filter(username=by).first() if by else None
        if by and author is None:
            raise CommandError(f"Unknown user: {by}")
        content = file.read_bytes()
        # A job records the import, so that the history of each risk it changes links to it.
        job = import_job_create(content=content, filename=file.name, by=author, dry_run=dry_run)
        report = import_register(
            content=content, filename=file.name, by=author, dry_run=dry_run, progress=self.progress, job=job
        )
        import_job_finish(job_id=job.pk, report=report)
        sys.stderr.write("\n")
        for error in report.errors:
            self.stderr.write(f"line {error['line']}, {error['field']}: {error['message']}")
        summary = (
            f"{report.total} rows: {report.created} to create, {report.updated} to update, "
            f"{report.unchanged} unchanged"
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} errors; nothing was written. {summary}.")
        self.stdout.write(f"{summary}; {'written' if report.written else 'dry run, nothing written'}.")

    def progress(self, processed: int, total: int) -> None:
        done = BAR_WIDTH * processed // max(total, 1)
        sys.stderr.write(f"\r[{'#' * done}{'.' * (BAR_WIDTH - done)}] {processed}/{total}")
        sys.stderr.flush()
