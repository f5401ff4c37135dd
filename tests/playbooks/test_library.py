"""The shipped library: each file imports and exports unchanged; demo data publishes them all."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from people.demo import load as load_demo_people
from playbooks import demo
from playbooks.exchange import playbook_export, spec_from_text
from playbooks.models import Playbook, PlaybookStatus
from playbooks.selectors import playbook_get, playbook_preview
from playbooks.services import playbook_create

pytestmark = pytest.mark.django_db

LIBRARY = demo.library_files()


@pytest.fixture
def demo_people():
    load_demo_people("Correct-Horse-42")


def test_the_library_has_the_three_plans():
    assert [path.name for path in LIBRARY] == [
        "core-system-outage-or-data-breach.yaml",
        "public-opinion-golden-3-hours.yaml",
        "supply-chain-break.yaml",
    ]


@pytest.mark.parametrize("path", LIBRARY, ids=lambda path: path.stem)
def test_each_file_imports_and_exports_unchanged(demo_people, path):
    text = path.read_text()
    playbook = playbook_create(spec=spec_from_text(text), created_by=None)
    assert playbook_export(playbook_get(playbook_id=playbook.pk)) == text
    as_json = playbook_export(playbook_get(playbook_id=playbook.pk), file_format="json")
    again = playbook_create(spec=spec_from_text(as_json), created_by=None)
    assert playbook_export(playbook_get(playbook_id=again.pk), file_format="json") == as_json


def test_the_demo_publishes_the_library_bilingual(demo_people):
    demo.load("unused")
    playbooks = Playbook.objects.order_by("name")
    assert [p.status for p in playbooks] == [PlaybookStatus.PUBLISHED] * 3
    for playbook in playbooks:
        assert "·" in playbook.name  # 中文 · English
        for step in playbook.steps.all():
            assert "·" in step.title and "\n" in step.instructions


def test_the_golden_three_hours_start_the_pr_sop_within_two_hours(demo_people):
    demo.load("unused")
    playbook = playbook_get(playbook_id=Playbook.objects.get(category="public-opinion").pk)
    declared = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)
    preview = playbook_preview(playbook=playbook, declared_at=declared, clock_rate=1)
    assert [(tier.key, starts - declared) for tier, starts, _ in preview.tiers] == [
        ("T1", dt.timedelta(0)),
        ("T2", dt.timedelta(hours=1)),
        ("T3", dt.timedelta(hours=2)),
        ("T4", dt.timedelta(hours=3)),
    ]
    sop = next(row for row in preview.steps if "Start the PR crisis SOP" in row.step.title)
    assert sop.due_at - declared == dt.timedelta(hours=1, minutes=50)
    assert sop.escalations[1] - declared <= dt.timedelta(hours=2)


@pytest.mark.parametrize("file_format", ["yaml", "json"])
def test_the_commands_round_trip_exactly(demo_people, tmp_path, file_format):
    source = LIBRARY[-1]
    out = io.StringIO()
    call_command("import_playbook", str(source), "--publish", stdout=out)
    first = Playbook.objects.get()
    assert first.status == PlaybookStatus.PUBLISHED
    exported = io.StringIO()
    call_command("export_playbook", str(first.pk), "--format", file_format, stdout=exported)
    path = tmp_path / f"plan.{file_format}"
    path.write_text(exported.getvalue())
    call_command("import_playbook", str(path), stdout=io.StringIO())
    second = Playbook.objects.exclude(pk=first.pk).get()
    assert second.status == PlaybookStatus.DRAFT  # importing never touches the published version
    again = io.StringIO()
    call_command("export_playbook", str(second.pk), "--format", file_format, stdout=again)
    assert again.getvalue() == exported.getvalue()
    if file_format == "yaml":
        assert exported.getvalue() == source.read_text()


def test_the_import_command_names_what_is_wrong(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: Broken\ntiers: []\n")
    with pytest.raises(CommandError, match="At least one tier is required"):
        call_command("import_playbook", str(path))
    assert not Playbook.objects.exists()
