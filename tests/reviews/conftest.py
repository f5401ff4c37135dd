import pytest

from incidents import services as incidents
from risks.models import Category
from risks.services import risk_create
from tests.factories import H, plant_fire


@pytest.fixture
def risk(cast):
    return risk_create(
        by=cast["officer"],
        title="Main supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=cast["officer"],
        likelihood=3,
        impact=4,
    )


@pytest.fixture
def incident(playbook, cast, declared_at, risk):
    return plant_fire(cast, playbook, declared_at, risks=[risk])


@pytest.fixture
def resolved(incident, cast, declared_at):
    """The incident, resolved three hours after it was declared: its review is open."""
    incidents.incident_resolve(incident_id=incident.pk, by=cast["commander"], now=declared_at + 3 * H)
    incident.refresh_from_db()
    return incident
