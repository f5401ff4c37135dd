from django.core.management.base import BaseCommand

from riskops.demo import DEMO_PASSWORD_FILE, load_demo_data


class Command(BaseCommand):
    help = "Loads the demo datasets that have not been loaded yet (each only once)."

    def handle(self, *args, **options):
        loaded = load_demo_data()
        for name in loaded:
            self.stdout.write(f"loaded demo dataset {name}")
        if not loaded:
            self.stdout.write("demo data already loaded")
        self.stdout.write(f"demo users' password is in {DEMO_PASSWORD_FILE}")
