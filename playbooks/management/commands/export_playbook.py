from django.core.management.base import BaseCommand, CommandError

from playbooks.exchange import FORMATS, playbook_export
from playbooks.models import Playbook
from playbooks.selectors import playbook_get


class Command(BaseCommand):
    help = "Writes a playbook version as YAML or JSON to standard output."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--format", choices=FORMATS, default="yaml")

    def handle(self, *args, id: int, format: str, **options):
        try:
            playbook = playbook_get(playbook_id=id)
        except Playbook.DoesNotExist as error:
            raise CommandError(f"No playbook {id}.") from error
        self.stdout.write(playbook_export(playbook, file_format=format), ending="")
