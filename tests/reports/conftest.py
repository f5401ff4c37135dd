import pytest

from incidents import services as incidents
from incidents.models import Incident
from tests.factories import H, plant_fire, supplier_risk

TITLE_ZH = "主要供应商工厂火灾"


@pytest.fixture
def reported(cast, playbook, declared_at):
    """The cast's incident with a Chinese title, a risk above appetite linked, a structured
    status update, one task done late and one acknowledged."""
    risk = supplier_risk(cast, likelihood=5, impact=5)
    incident = plant_fire(cast, playbook, declared_at, risks=[risk])
    Incident.objects.filter(pk=incident.pk).update(title_zh=TITLE_ZH)
    incidents.incident_post_update(
        incident_id=incident.pk,
        by=cast["commander"],
        what_happened="Fire at the main plant; 工厂停产",
        impact="Two product lines stop",
        now=declared_at + 0.5 * H,
    )
    tasks = {task.title: task.pk for task in incident.tasks.all()}
    incidents.task_acknowledge(
        task_id=tasks["Switch to the backup-supplier pool"], by=cast["buyer"], now=declared_at + H
    )
    incidents.task_complete(
        task_id=tasks["Switch to the backup-supplier pool"], by=cast["buyer"], now=declared_at + 3 * H
    )
    incident.refresh_from_db()
    return incident


def speaking(user, language: str):
    user.language = language
    user.timezone = "Asia/Shanghai" if language == "zh-hans" else "Europe/London"
    user.save(update_fields=["language", "timezone"])
    return user
