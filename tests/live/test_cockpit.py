"""What the cockpit says of each live incident: tier progress in plan time, who is late, the latest
update, the linked risks; real incidents first by severity then age, drills apart."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from incidents import services
from live.cockpit import cockpit_incidents
from tests.factories import H, fire_due, plant_fire, supplier_risk

pytestmark = pytest.mark.django_db


def windows(row) -> list[tuple[str, str, float]]:
    return [(window.tier.key, window.state, round(window.progress, 3)) for window in row.tiers]


def test_tiers_show_how_much_of_each_window_has_passed_in_plan_time(cast, playbook):
    now = timezone.now()
    plant_fire(cast, playbook, now - 3 * H)
    drill = plant_fire(cast, playbook, now - dt.timedelta(seconds=30), drill=True, clock_rate=3600)
    services.incident_advance_tier(incident_id=drill.pk, by=cast["commander"])  # 30 plan hours in: T2

    [real], [drilled] = cockpit_incidents(now=now)
    assert windows(real) == [("T1", "current", 0.5), ("T2", "next", 0.0), ("T3", "next", 0.0)]
    assert windows(drilled) == [("T1", "done", 1.0), ("T2", "current", 0.571), ("T3", "next", 0.0)]


def test_a_tier_entered_early_starts_empty_and_the_last_tier_is_simply_under_way(cast, playbook):
    now = timezone.now()
    incident = plant_fire(cast, playbook, now - H)
    services.incident_advance_tier(incident_id=incident.pk, by=cast["commander"])
    [row], _ = cockpit_incidents(now=now)
    assert windows(row)[1] == ("T2", "current", 0.0)  # an hour in, the 6–48 h window not begun
    services.incident_advance_tier(incident_id=incident.pk, by=cast["commander"])
    [row], _ = cockpit_incidents(now=now)
    assert windows(row)[2] == ("T3", "current", 1.0)


def test_who_is_late_names_the_task_its_responsible_team_and_its_level(cast, playbook):
    now = timezone.now()
    incident = plant_fire(cast, playbook, now - 3.5 * H)
    fire_due(now)
    [row], _ = cockpit_incidents(now=now)
    [late] = row.late
    assert late.task.title == "Switch to the backup-supplier pool"
    assert late.responsible == ["Supply chain"]
    assert late.task.escalation_level == 2
    assert now - late.task.due_at == 1.5 * H
    assert row.incident.overdue_tasks == 1 and row.incident.pk == incident.pk


def test_the_latest_update_and_the_linked_risks(cast, playbook, matrix):
    now = timezone.now()
    risk = supplier_risk(cast, likelihood=4, impact=5)
    incident = plant_fire(cast, playbook, now - H, risks=[risk])
    for text in ("Plant B is on fire.", "Backup pool carries 60 % of volume."):
        services.incident_post_update(incident_id=incident.pk, by=cast["commander"], what_happened=text)
    [row], _ = cockpit_incidents(now=timezone.now())
    assert row.latest_update.data["what_happened"] == "Backup pool carries 60 % of volume."
    assert row.latest_update.actor == cast["commander"]
    assert row.risks == [risk]
    assert row.incident.next_update_due_at > now
    assert row.late == []


def test_real_incidents_first_worst_then_oldest_and_drills_apart(cast, playbook):
    now = timezone.now()
    old_sev2 = plant_fire(cast, playbook, now - 5 * H)
    services.incident_change_severity(
        incident_id=old_sev2.pk, by=cast["commander"], severity=2, reason="Only one line stopped."
    )
    young_sev1 = plant_fire(cast, playbook, now - H)
    old_sev1 = plant_fire(cast, playbook, now - 2 * H)
    drill = plant_fire(cast, playbook, now - 9 * H, drill=True)
    real, drills = cockpit_incidents(now=now)
    assert [row.incident.pk for row in real] == [old_sev1.pk, young_sev1.pk, old_sev2.pk]
    assert [row.incident.pk for row in drills] == [drill.pk]


def test_the_cockpit_kept_for_every_executive_shows_each_change_at_once(client, cast, playbook, matrix):
    """Its parts are rendered once and kept for every executive (core/shared_parts.py) until what
    they show changes: the next reader, or the live part's next fetch, sees the change."""
    incident = plant_fire(cast, playbook, timezone.now() - H)
    live = reverse("dashboard") + "?part=live"
    client.force_login(cast["ceo"])
    assert "No status update yet." in client.get(live).content.decode()
    client.force_login(cast["officer"])  # another reader, given what was kept
    assert "No status update yet." in client.get(live).content.decode()
    services.incident_post_update(
        incident_id=incident.pk, by=cast["commander"], what_happened="Plant B burns."
    )
    assert "Plant B burns." in client.get(live).content.decode()
    risk = supplier_risk(cast, likelihood=5, impact=5)  # above appetite: named on the page at once
    assert risk.ref in client.get(reverse("dashboard")).content.decode()


def test_a_change_to_one_incident_renders_its_card_alone(client, cast, playbook):
    burning = plant_fire(cast, playbook, timezone.now() - H)
    plant_fire(cast, playbook, timezone.now() - 2 * H)
    client.force_login(cast["ceo"])
    live = reverse("dashboard") + "?part=live"
    with signals_of_cards() as cards:
        client.get(live)
    assert len(cards) == 2
    services.incident_post_update(
        incident_id=burning.pk, by=cast["commander"], what_happened="Plant B burns."
    )
    with signals_of_cards() as cards:
        page = client.get(live).content.decode()
    assert [card["row"].incident.pk for card in cards] == [burning.pk]
    assert "Plant B burns." in page and page.count('<article class="cockpit-incident') == 2


@contextmanager
def signals_of_cards():
    """The contexts of the cockpit cards rendered meanwhile."""
    rendered = []

    def seen(sender, template, context, **kwargs):
        if template.name == "live/cockpit_incident.html":
            rendered.append(context)

    template_rendered.connect(seen)
    try:
        yield rendered
    finally:
        template_rendered.disconnect(seen)
