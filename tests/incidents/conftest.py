import datetime as dt

import pytest
from django.utils import timezone

from incidents import services
from people.models import Membership, Role, Team
from playbooks.services import playbook_create, playbook_publish
from riskops.embedded_redis import EmbeddedRedis
from tests.incidents.stack import Stack

H = dt.timedelta(hours=1)


@pytest.fixture
def cast(make_user):
    """The people of a supply-chain incident."""
    supply = Team.objects.create(slug="supply", name="Supply chain")
    pr = Team.objects.create(slug="pr", name="PR")
    people = {
        "buyer": make_user(Role.RESPONDER, username="buyer", teams=[supply]),
        "logistics": make_user(Role.RESPONDER, username="logistics", teams=[supply]),
        "pr_lead": make_user(Role.RESPONDER, username="pr-lead", teams=[pr]),
        "outsider": make_user(Role.RESPONDER, username="outsider"),
        "commander": make_user(Role.RESPONDER, username="commander"),
        "ceo": make_user(Role.EXECUTIVE, username="ceo"),
        "officer": make_user(Role.RISK_OFFICER, username="officer"),
        "admin": make_user(Role.ADMIN, username="boss"),
        "contact": make_user(Role.RESPONDER, username="contact"),
    }
    supply.escalation_contact = people["contact"]
    supply.save()
    Membership.objects.create(team=supply, user=people["contact"])
    people["supply"], people["pr"] = supply, pr
    return people


def three_tier_spec(cast, extra_steps_in_t1: int = 0) -> dict:
    supply, pr = cast["supply"].pk, cast["pr"].pk
    t1_steps = [
        {
            "tier": "T1",
            "order": 1,
            "title": "Switch to the backup-supplier pool",
            "instructions": "Call the pool.",
            "due_after": "PT2H",
            "escalate_after": "PT1H",
            "raci": {
                "responsible": [{"team": supply}],
                "accountable": {"team": supply},
                "consulted": [{"user": cast["pr_lead"].pk}],
                "informed": [{"team": pr}],
            },
        },
    ]
    for order in range(2, 2 + extra_steps_in_t1):
        t1_steps.append({**t1_steps[0], "order": order, "title": f"Extra step {order}"})
    return {
        "name": "Supply-chain break",
        "description": "Three-level response",
        "tiers": [
            {"key": "T1", "name": "Level 1", "starts_after": "PT0S", "ends_after": "PT6H"},
            {"key": "T2", "name": "Level 2", "starts_after": "PT6H", "ends_after": "PT48H"},
            {"key": "T3", "name": "Level 3", "starts_after": "PT48H", "ends_after": None},
        ],
        "steps": [
            *t1_steps,
            {
                "tier": "T2",
                "order": 1,
                "title": "Start pre-sale mode",
                "instructions": "",
                "due_after": "PT12H",
                "escalate_after": "PT2H",
                "raci": {
                    "responsible": [{"team": pr}],
                    "accountable": {"user": cast["pr_lead"].pk},
                    "consulted": [],
                    "informed": [{"team": supply}],
                },
            },
            {
                "tier": "T3",
                "order": 1,
                "title": "Open the C2M channel",
                "instructions": "",
                "due_after": "PT24H",
                "escalate_after": "PT6H",
                "raci": {
                    "responsible": [{"user": cast["buyer"].pk}],
                    "accountable": {"team": supply},
                    "consulted": [],
                    "informed": [],
                },
            },
        ],
    }


@pytest.fixture
def playbook(cast):
    return playbook_publish(
        playbook=playbook_create(spec=three_tier_spec(cast), created_by=cast["officer"]), by=cast["officer"]
    )


@pytest.fixture
def declared_at():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def incident(playbook, cast, declared_at):
    return services.incident_declare(
        title="Main supplier plant fire",
        severity=1,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        now=declared_at,
    )


@pytest.fixture
def redis(tmp_path):
    """A private redis-server for processes started by the test (it may be restarted or emptied)."""
    with EmbeddedRedis(tmp_path / "redis") as server:
        yield server


def publish_to(url: str) -> None:
    """Points this process's Celery producer at another broker (the pools reset as after a fork).

    The old pools are left open: kombu keeps them in a process-wide registry by URL, and a
    closed one would be handed back to every later test that publishes to the suite's broker.
    """
    from riskops.celery import app

    app.conf.broker_url = url
    app._after_fork()


@pytest.fixture
def stack(redis, tmp_path):
    from riskops.celery import app

    suite_broker = app.conf.broker_url
    publish_to(redis.url)
    running = Stack(redis.url, tmp_path)
    yield running
    running.stop_all()
    publish_to(suite_broker)
