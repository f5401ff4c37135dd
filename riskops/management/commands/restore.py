from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from riskops.backup import database_restore


class Command(BaseCommand):
    help = (
        "Replaces the database's content by a backup made with `backup`, then applies any newer "
        "migrations. Stop the web, worker and beat processes first; start them again afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        database_restore(file)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"restored the database from {file}")
