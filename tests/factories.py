"""What tests build their data from: the shared password, the suite's clock, plan specs.

Plain values and functions, importable by any test; fixtures live in tests/fixtures/.
"""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.utils import timezone

PASSWORD = "Correct-Horse-42"

# Risks and readings are made at this moment unless a test says otherwise, so that the API
# (which reads the clock) agrees with them.
NOW = timezone.now().replace(microsecond=0)
H = dt.timedelta(hours=1)
WEEK = dt.timedelta(days=7)


def person(role: str, username: str, teams=(), **extra):
    """A person who signs in with PASSWORD."""
    from people.services import user_create

    return user_create(by=None, username=username, password=PASSWORD, role=role, teams=list(teams), **extra)


def supply_chain_cast() -> dict:
    """The people of a supply-chain incident, and their two teams ("supply", "pr")."""
    from people.models import Membership, Role, Team

    supply = Team.objects.create(slug="supply", name="Supply chain")
    pr = Team.objects.create(slug="pr", name="PR")
    people = {
        "buyer": person(Role.RESPONDER, "buyer", teams=[supply]),
        "logistics": person(Role.RESPONDER, "logistics", teams=[supply]),
        "pr_lead": person(Role.RESPONDER, "pr-lead", teams=[pr]),
        "outsider": person(Role.RESPONDER, "outsider"),
        "commander": person(Role.RESPONDER, "commander"),
        "ceo": person(Role.EXECUTIVE, "ceo"),
        "officer": person(Role.RISK_OFFICER, "officer"),
        "admin": person(Role.ADMIN, "boss"),
        "contact": person(Role.RESPONDER, "contact"),
    }
    supply.escalation_contact = people["contact"]
    supply.save()
    Membership.objects.create(team=supply, user=people["contact"])
    people["supply"], people["pr"] = supply, pr
    return people


def published_plan(spec: dict, by):
    """`spec` created and published by `by`."""
    from playbooks.services import playbook_create, playbook_publish

    return playbook_publish(playbook=playbook_create(spec=spec, created_by=by), by=by)


def plant_fire(cast, playbook, at, risks=(), **drill):
    """The cast's severity-1 incident, declared from `playbook` at `at`, commanded by "commander",
    linked to `risks`; `drill=True, clock_rate=…` makes it a drill."""
    from incidents import services

    return services.incident_declare(
        title="Main supplier plant fire",
        severity=1,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        risks=list(risks),
        now=at,
        **drill,
    )


def supplier_risk(cast, likelihood: int, impact: int):
    """The cast's risk: the main supplier stops deliveries, owned and rated by the risk officer."""
    from risks.models import Category
    from risks.services import risk_create

    return risk_create(
        by=cast["officer"],
        title="Main supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=cast["officer"],
        likelihood=likelihood,
        impact=impact,
    )


def fire_due(now) -> list:
    """What the workers do when the sweep's messages reach them, sweep after sweep: every timer due
    by `now` fired; returns them in due order."""
    from incidents import services
    from incidents.models import Timer, TimerState

    fired = []
    while due := list(
        Timer.objects.filter(state=TimerState.PENDING, due_at__lte=now).values_list("pk", flat=True)
    ):
        fired += services.timers_fire(timer_ids=due, now=now)
    return list(Timer.objects.filter(pk__in=fired).order_by("due_at", "pk"))


def send_deliveries(**lookup) -> None:
    """What the workers do with the deliveries (those matching `lookup`) once grouping windows closed."""
    from django.conf import settings

    from notifications.models import Delivery
    from notifications.services import delivery_send

    later = timezone.now() + dt.timedelta(seconds=settings.NOTIFICATION_GROUP_SECONDS)
    for delivery_id in Delivery.objects.filter(**lookup).order_by("pk").values_list("pk", flat=True):
        delivery_send(delivery_id=delivery_id, now=later)


def three_tier_spec(cast, extra_steps_in_t1: int = 0) -> dict:
    """The supply-chain plan of the `cast`: T1 0–6 h, T2 6–48 h, T3 48 h+, one step in each."""
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


def dau_playbook_spec(owner) -> dict:
    """A two-tier plan for a swing in daily active users, every step on `owner`."""
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


def elsewhere(function, *args, **kwargs):
    """Runs a change in another thread: Playwright keeps an event loop in this one, and a change
    publishes its event with async_to_sync, which refuses to run beside a loop."""

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()  # back to the pool: a thread's connection is not returned when it ends

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def every_page(world) -> list[str]:
    """Every page of the site, with the ids of the security matrix's world (tests/security/conftest.py)."""
    return [
        "/",
        "/dashboard/",
        f"/teams/{world['team']}/now/",
        "/teams/",
        "/risks/",
        "/risks/new/",
        "/risks/heatmap/",
        "/risks/appetite/",
        "/risks/import/",
        f"/risks/import/{world['import']}/",
        f"/risks/{world['risk']}/",
        f"/risks/{world['risk']}/edit/",
        "/playbooks/",
        "/playbooks/new/",
        f"/playbooks/{world['playbook']}/",
        f"/playbooks/{world['playbook']}/edit/",
        f"/playbooks/{world['playbook']}/preview/",
        "/incidents/",
        "/incidents/declare/",
        "/incidents/mine/",
        f"/incidents/{world['incident']}/",
        f"/incidents/{world['resolved']}/review/",
        f"/incidents/{world['incident']}/report/",
        "/risks/report/",
        "/oncall/",
        f"/oncall/{world['schedule']}/",
        "/status/",
        f"/status/{world['incident']}/",
        "/kris/",
        "/kris/new/",
        f"/kris/{world['kri']}/",
        f"/kris/{world['kri']}/edit/",
        "/integrations/",
        "/integrations/new/",
        f"/integrations/{world['integration']}/",
        f"/integrations/{world['integration']}/edit/",
        "/notifications/",
        "/analytics/",
        "/api/docs/",
        "/admin/login/",
    ]
