"""The preferences people can set are exactly the kinds of notification the code sends."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from incidents.happenings import HAPPENINGS
from notifications.kinds import KINDS
from notifications.models import Preference

SENDERS = {"notify", "Message"}
# notifications itself passes on the kind it was given; benchmarks and tests send what they like.
NOT_SENDERS = {"notifications", "bench", "tests", ".venv"}


def _kinds_passed(value: ast.expr, where: str) -> set[str]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    if isinstance(value, ast.IfExp):
        return _kinds_passed(value.body, where) | _kinds_passed(value.orelse, where)
    if isinstance(value, ast.Attribute) and value.attr == "notification":
        return set()  # a happening's kind: incidents/happenings.py names it
    raise AssertionError(f"{where}: say the kind as a literal or a happening's .notification")


def kinds_sent() -> set[str]:
    """Each kind= given to notify() or Message() in the project's code, and the happenings' kinds."""
    sent = {happening.notification for happening in HAPPENINGS if happening.notification}
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if NOT_SENDERS & set(parts) or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for keyword in node.keywords:
                if name in SENDERS and keyword.arg == "kind":
                    sent |= _kinds_passed(keyword.value, f"{path}:{node.lineno}")
    return sent


def test_every_kind_sent_has_a_preference_and_every_preference_is_sent():
    sent = kinds_sent()
    assert sent - set(KINDS) == set(), "sent, but nobody can turn them off"
    assert set(KINDS) - sent == set(), "offered as preferences, but never sent"


def test_the_scan_finds_the_kinds_of_other_apps():
    assert {"kri.breach", "kri.missing", "follow_up.due", "follow_up.overdue", "tier.started"} <= kinds_sent()


@pytest.mark.django_db
def test_the_migration_deletes_only_the_preferences_never_sent(responder):
    migration = importlib.import_module("notifications.migrations.0002_remove_preferences_never_sent")
    for kind in ("incident.declared", "incident.resolved", "escalation"):
        Preference.objects.create(user=responder, kind=kind, email=False)
    migration.delete_preferences(apps, None)
    assert list(Preference.objects.values_list("kind", flat=True)) == ["escalation"]
