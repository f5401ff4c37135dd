import datetime as dt

import pytest
from django.utils import timezone

from indicators import services
from people.models import Role, User
from playbooks.services import playbook_create, playbook_publish
from riskops.demo import load_demo_data
from risks import services as risk_services
from risks.models import Category
from tests.conftest import PASSWORD

NOW = timezone.now().replace(microsecond=0)
WEEK = dt.timedelta(days=7)


def playbook_spec(owner) -> dict:
    return {
        "name": "DAU root-cause analysis",
        "tiers": [
            {"key": "T1", "name": "Level 1", "starts_after": "PT0S", "ends_after": "PT6H"},
            {"key": "T2", "name": "Level 2", "starts_after": "PT6H", "ends_after": None},
        ],
        "steps": [
            {
                "tier": "T1",
                "order": 1,
                "title": "Find the cause of the swing",
                "due_after": "PT2H",
                "escalate_after": "PT1H",
                "raci": {"responsible": [{"user": owner.pk}], "accountable": {"user": owner.pk}},
            }
        ],
    }


@pytest.fixture
def officer(make_user):
    return make_user(Role.RISK_OFFICER, username="officer")


@pytest.fixture
def kri_owner(make_user):
    return make_user(Role.RESPONDER, username="kri-owner")


@pytest.fixture
def risk(officer, make_user):
    """An open risk owned by a responder, reviewed in 90 days, with a published playbook."""
    risk_services.categories_ensure_default()
    risk_services.matrix_ensure_default()
    owner = make_user(Role.RESPONDER, username="risk-owner")
    playbook = playbook_publish(
        playbook=playbook_create(spec=playbook_spec(owner), created_by=officer), by=officer
    )
    return risk_services.risk_create(
        by=officer,
        title="Daily active users swing",
        category=Category.objects.get(key="market"),
        owner=owner,
        likelihood=3,
        impact=4,
        playbook=playbook,
        next_review_at=NOW + dt.timedelta(days=90),
        now=NOW - dt.timedelta(days=1),
    )


@pytest.fixture
def make_kri(kri_owner, risk):
    def make(**values):
        values.setdefault("name", "Daily active users")
        values.setdefault("owner", kri_owner)
        values.setdefault("direction", "higher_is_worse")
        values.setdefault("amber", 80)
        values.setdefault("red", 90)
        values.setdefault("risks", [risk])
        return services.kri_create(**values)

    return make


@pytest.fixture
def record(officer):
    """`record(kri, value, at)` → the ReadingResult, as the service records it."""

    def record(kri, value, at, by=officer, now=None):
        entry = services.ReadingInput(kri=kri, value=value, measured_at=at)
        [result] = services.readings_record(entries=[entry], by=by, now=now or max(at, NOW))
        return result

    return record


@pytest.fixture
def demo(db):
    """The demo data, every demo user's password PASSWORD."""
    # A transactional test before this one flushes the rows the migrations made.
    risk_services.categories_ensure_default()
    risk_services.matrix_ensure_default()
    load_demo_data()
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
