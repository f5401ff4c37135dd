from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from playbooks.exchange import spec_from_text
from playbooks.services import playbook_create, playbook_publish
from playbooks.validation import InvalidPlaybook


class Command(BaseCommand):
    help = (
        "Imports a playbook from a YAML or JSON file as a new draft (never overwrites a published version)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish the imported draft at once.")

    def handle(self, *args, file: Path, publish: bool, **options):
        try:
            playbook = playbook_create(spec=spec_from_text(file.read_bytes()), created_by=None)
            if publish:
                playbook = playbook_publish(playbook=playbook, by=None)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        except InvalidPlaybook as error:
            raise CommandError(f"{file} is not a valid playbook: {error.detail}") from error
        self.stdout.write(
            f"imported {file} as playbook {playbook.pk} v{playbook.version} ({playbook.status})"
        )
