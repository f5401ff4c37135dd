import pytest
from django.utils import timezone

from audit.models import AuditEntry
from incidents import services as incidents
from indicators.services import kri_create
from notifications.models import Notification
from reviews.services.follow_ups import follow_up_create
from risks.models import Category, ImportJob
from risks.services import action_create, risk_create
from tests.factories import H, published_plan, supply_chain_cast, three_tier_spec

# The kinds of user every endpoint and stream is tried with, in the order the matrix lists them.
KINDS = ("anonymous", "insider", "outsider", "risk_officer", "executive", "admin")


def build_world() -> dict:
    """One of everything the API names by id, and one person of each kind.

    The insider (`buyer`) is in the supply team, Responsible and Accountable for the incident's
    first task; the outsider is a responder named nowhere in it.
    """
    declared_at = timezone.now().replace(microsecond=0)
    cast = supply_chain_cast()
    officer = cast["officer"]
    playbook = published_plan(three_tier_spec(cast), officer)
    risk = risk_create(
        by=officer,
        title="Main supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=officer,
        likelihood=3,
        impact=4,
    )
    incident = incidents.incident_declare(
        title="Main supplier plant fire",
        severity=1,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=officer,
        risks=[risk],
        now=declared_at,
    )
    resolved = incidents.incident_declare(
        title="Warehouse flood",
        severity=2,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=officer,
        risks=[risk],
        now=declared_at,
    )
    incidents.incident_resolve(incident_id=resolved.pk, by=cast["commander"], now=declared_at + 3 * H)
    follow_up = follow_up_create(
        incident_id=resolved.pk,
        by=officer,
        title="Second supplier contract",
        owner=officer,
        due_at=declared_at + 72 * H,
    )
    kri = kri_create(
        by=None,
        name="Supplier on-time rate",
        owner=officer,
        direction="lower_is_worse",
        amber=90,
        red=80,
        risks=[risk],
    )
    return {
        "users": {
            "anonymous": None,
            "insider": cast["buyer"],
            "outsider": cast["outsider"],
            "risk_officer": officer,
            "executive": cast["ceo"],
            "admin": cast["admin"],
        },
        "incident": incident.pk,
        "resolved": resolved.pk,
        "task": incident.tasks.get(title="Switch to the backup-supplier pool").pk,
        "playbook": playbook.pk,
        "risk": risk.pk,
        "action": action_create(
            risk=risk,
            by=officer,
            title="Qualify a second supplier",
            owner=officer,
            due_at=declared_at + 72 * H,
        ).pk,
        "category": Category.objects.get(key="supply-chain").pk,
        "import": ImportJob.objects.create(created_by=officer, filename="register.csv", content=b"").pk,
        "kri": kri.pk,
        "follow_up": follow_up.pk,
        "team": cast["supply"].pk,
        "user": cast["buyer"].pk,
        "notification": Notification.objects.filter(recipient=cast["buyer"]).first().pk,
        "kind": "task.opened",
        "link_token": "1:forged:token",
        "audit_entry": AuditEntry.objects.filter(object_type="risks.risk").first().pk,
    }


@pytest.fixture
def world(db):
    return build_world()
