from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_dirs() -> list[Path]:
    """The project's locale folder and each of the project's own apps' locale folders."""
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    dirs += [
        Path(config.path) / "locale"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in Path(config.path).parts
    ]
    return [path for path in dirs if path.is_dir()]


class Command(BaseCommand):
    help = "Compiles every .po catalogue of the project to .mo, with no need for GNU gettext."

    def handle(self, *args, **options):
        for locale_dir in catalogue_dirs():
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                relative = po_path.relative_to(settings.BASE_DIR)
                self.stdout.write(f"compiled {relative} ({catalogue.percent_translated()} % translated)")
