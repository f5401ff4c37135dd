"""Demo datasets for `make run`, in the order they are loaded. Each is loaded once."""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from riskops.models import DemoDataset

# Each entry names a function load(password: str) -> None that creates the dataset.
DATASETS = [
    "people.demo.load",
    "risks.demo.load",
    "playbooks.demo.load",
    "indicators.demo.load",
    "oncall.demo.load",
]

DEMO_PASSWORD_FILE = settings.VAR_DIR / "demo-password"


def demo_password() -> str:
    """One random password for every demo user, kept under var/ (never a well-known one)."""
    if not DEMO_PASSWORD_FILE.exists():
        DEMO_PASSWORD_FILE.write_text(secrets.token_urlsafe(12))
        DEMO_PASSWORD_FILE.chmod(0o600)
    return DEMO_PASSWORD_FILE.read_text().strip()


def load_demo_data() -> list[str]:
    """Loads every dataset not loaded before; returns the names loaded now."""
    loaded = []
    for path in DATASETS:
        if DemoDataset.objects.filter(name=path).exists():
            continue
        with transaction.atomic():
            import_string(path)(demo_password())
            DemoDataset.objects.create(name=path)
        loaded.append(path)
    return loaded
