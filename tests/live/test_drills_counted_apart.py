"""The dashboard's headline figures count real incidents only; drills are a figure of their own."""

import re

import pytest

from incidents.models import Task
from tests.factories import H, fire_due, plant_fire

pytestmark = pytest.mark.django_db


def figure(page: str, name: str) -> int:
    return int(re.search(rf'data-figure="{name}">(\d+)<', page).group(1))


def test_a_late_drill_adds_nothing_to_the_real_figures(client, cast, playbook, declared_at):
    at = declared_at - 5 * H
    plant_fire(cast, playbook, at)
    plant_fire(cast, playbook, at, drill=True, clock_rate=3600)
    fire_due(declared_at)
    assert Task.objects.filter(incident__drill=True, escalation_level=3).exists()
    client.force_login(cast["ceo"])
    page = client.get("/dashboard/").content.decode()
    assert figure(page, "incidents") == 1 and figure(page, "drills") == 1
    assert figure(page, "overdue") == 1  # the real incident's first task, not the drill's
    assert figure(page, "escalations") == 1
    late_in_drill = Task.objects.filter(incident__drill=True, state="open", due_at__lt=declared_at).count()
    assert late_in_drill > 1
    assert f"drills running, counted apart ({late_in_drill} overdue tasks)" in page
