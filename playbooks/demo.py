"""The shipped library (playbooks/library/*.yaml), imported and published for `make run`."""

from pathlib import Path

from people.models import User
from playbooks.exchange import spec_from_text
from playbooks.services import playbook_create, playbook_publish

LIBRARY = Path(__file__).resolve().parent / "library"


def library_files() -> list[Path]:
    return sorted(LIBRARY.glob("*.yaml"))


def load(password: str) -> None:
    author = User.objects.filter(username="risk.officer").first()
    for path in library_files():
        playbook = playbook_create(spec=spec_from_text(path.read_bytes()), created_by=author)
        playbook_publish(playbook=playbook, by=author)
