import copy

import pytest

from people.models import Role, Team


@pytest.fixture
def pr_team(db):
    return Team.objects.create(slug="pr", name="Public relations")


@pytest.fixture
def lead(make_user, team):
    return make_user(Role.RESPONDER, teams=[team], username="crisis.lead")


@pytest.fixture
def spec(team, pr_team, lead):
    """A valid three-level plan: `spec()` returns a fresh copy to change."""
    base = {
        "name": "Supply-chain break",
        "description": "Three-level response.",
        "category": "supply-chain",
        "tiers": [
            {"key": "T1", "name": "Level 1", "starts_after": "PT0S", "ends_after": "PT6H"},
            {"key": "T2", "name": "Level 2", "starts_after": "PT6H", "ends_after": "PT48H"},
            {"key": "T3", "name": "Level 3", "starts_after": "PT48H", "ends_after": None},
        ],
        "steps": [
            {
                "tier": "T1",
                "order": 1,
                "title": "Switch to the backup-supplier pool",
                "instructions": "Protect the top 20 % high-margin items.",
                "due_after": "PT2H",
                "escalate_after": "PT1H",
                "raci": {
                    "responsible": [{"team": team.pk}],
                    "accountable": {"user": lead.pk},
                    "consulted": [],
                    "informed": [{"team": pr_team.pk}],
                },
            },
            {
                "tier": "T2",
                "order": 1,
                "title": "Start pre-sale mode",
                "instructions": "",
                "due_after": "PT12H",
                "escalate_after": "PT2H",
                "raci": {
                    "responsible": [{"team": team.pk}, {"team": pr_team.pk}],
                    "accountable": {"team": team.pk},
                    "consulted": [{"user": lead.pk}],
                    "informed": [],
                },
            },
        ],
    }
    return lambda: copy.deepcopy(base)
