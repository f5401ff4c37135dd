"""`manage.py backup` and `restore`: a populated database, backed up, wiped and restored, comes back
whole, and the incident's pending timers still fire once each (on SQLite, or PostgreSQL with
DATABASE_URL)."""

import pytest
from django.core.management import call_command

from incidents import services
from incidents.models import Incident, Task, TimelineEntry, Timer, TimerKind, TimerState
from people.models import Team, User
from playbooks.models import Playbook
from riskops.celery import TIMERS_QUEUE
from riskops.celery import app as celery_app
from tests.factories import H

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    return {
        "users": sorted(User.objects.values_list("username", flat=True)),
        "teams": sorted(Team.objects.values_list("name", flat=True)),
        "playbooks": Playbook.objects.count(),
        "incidents": list(Incident.objects.values_list("pk", "title", "status")),
        "tasks": Task.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "pending timers": sorted(Timer.objects.filter(state=TimerState.PENDING).values_list("pk", "due_at")),
    }


def test_backup_wipe_restore_brings_everything_back_and_timers_still_fire(
    tmp_path, incident, declared_at, cast
):
    Team.objects.create(slug="pr-cn", name="公关部 · 危机沟通")
    before = snapshot()
    assert before["pending timers"]
    backup = tmp_path / "riskops.backup"

    call_command("backup", str(backup))
    call_command("flush", interactive=False)
    assert Incident.objects.count() == 0 and User.objects.count() == 0

    call_command("restore", str(backup))
    assert snapshot() == before

    level_one = Timer.objects.get(kind=TimerKind.ESCALATION, level=1)
    due = declared_at + 2 * H
    assert services.timers_sweep(now=due) >= 1  # the sweep sends the restored timer's message again
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(TIMERS_QUEUE)  # no worker here to take them
    assert [services.timers_fire(timer_ids=[level_one.pk], now=due) for _ in range(2)] == [[level_one.pk], []]
    assert TimelineEntry.objects.filter(incident=incident, type="task.overdue").count() == 1


def test_restoring_a_missing_file_changes_nothing(tmp_path, incident):
    with pytest.raises(FileNotFoundError):
        call_command("restore", str(tmp_path / "nothing-here.backup"))
    assert Incident.objects.filter(pk=incident.pk).exists()
