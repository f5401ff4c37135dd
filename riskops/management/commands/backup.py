from pathlib import Path

from django.core.management.base import BaseCommand

from riskops.backup import database_backup


class Command(BaseCommand):
    help = "Backs up the database to FILE while the system runs (pg_dump custom format, or a SQLite copy)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        database_backup(file)
        self.stdout.write(f"backed up the database to {file} ({file.stat().st_size:,} bytes)")
