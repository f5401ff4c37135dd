"""The validation matrix: each rule, one failing example, the exact field named, nothing written."""

import pytest

from playbooks.models import Playbook, RaciAssignment, Step, Tier
from playbooks.services import playbook_create
from playbooks.validation import InvalidPlaybook, playbook_validate

pytestmark = pytest.mark.django_db


def edit(path, value):
    """A change to the valid spec: set `value` at `path` (a tuple of keys and indexes)."""

    def apply(spec):
        node = spec
        for part in path[:-1]:
            node = node[part]
        if value is DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value

    return apply


DELETE = object()

CASES = [
    ("name missing", edit(("name",), ""), {"name": ["This field is required."]}),
    (
        "first tier not at zero",
        edit(("tiers", 0, "starts_after"), "PT1H"),
        {"tiers": {"0": {"starts_after": ["The first tier, T1, must start at PT0S."]}}},
    ),
    (
        "gap between tiers",
        edit(("tiers", 1, "starts_after"), "PT7H"),
        {"tiers": {"1": {"starts_after": ["T2 must start at PT6H, where T1 ends."]}}},
    ),
    (
        "overlapping tiers",
        edit(("tiers", 1, "starts_after"), "PT5H"),
        {"tiers": {"1": {"starts_after": ["T2 must start at PT6H, where T1 ends."]}}},
    ),
    (
        "tier ends before it starts",
        edit(("tiers", 1, "ends_after"), "PT6H"),
        {"tiers": {"1": {"ends_after": ["T2 must end after it starts (PT6H)."]}}},
    ),
    (
        "open-ended tier that is not the last",
        edit(("tiers", 1, "ends_after"), None),
        {"tiers": {"1": {"ends_after": ["Only the last tier may be open-ended; T2 needs an end."]}}},
    ),
    (
        "duplicate tier key",
        edit(("tiers", 2, "key"), "T1"),
        {"tiers": {"2": {"key": ["Key T1 is already used by tier 1."]}}},
    ),
    ("no tiers", edit(("tiers",), []), {"tiers": ["At least one tier is required."]}),
    (
        "step in a tier that does not exist",
        edit(("steps", 1, "tier"), "T9"),
        {"steps": {"1": {"tier": ["No tier T9; the tiers are T1, T2, T3."]}}},
    ),
    (
        "due after its tier ends",
        edit(("steps", 0, "due_after"), "PT7H"),
        {"steps": {"0": {"due_after": ["Due PT7H after T1 starts, but T1 lasts only PT6H."]}}},
    ),
    (
        "no Responsible",
        edit(("steps", 0, "raci", "responsible"), []),
        {"steps": {"0": {"raci": {"responsible": ["At least one Responsible is required."]}}}},
    ),
    (
        "no Accountable",
        edit(("steps", 0, "raci", "accountable"), None),
        {"steps": {"0": {"raci": {"accountable": ["Exactly one Accountable is required."]}}}},
    ),
    (
        "two Accountables",
        edit(("steps", 0, "raci", "accountable"), [{"team": 1}, {"team": 2}]),
        {"steps": {"0": {"raci": {"accountable": ["Exactly one Accountable is required."]}}}},
    ),
    (
        "unknown team",
        edit(("steps", 0, "raci", "informed"), [{"team": 999_999}]),
        {"steps": {"0": {"raci": {"informed": {"0": {"team": ["No team 999999."]}}}}}},
    ),
    (
        "unknown person by username",
        edit(("steps", 0, "raci", "consulted"), [{"user": "nobody"}]),
        {"steps": {"0": {"raci": {"consulted": {"0": {"user": ["No person 'nobody'."]}}}}}},
    ),
    (
        "an entry that names neither",
        edit(("steps", 0, "raci", "responsible"), [{"group": 1}]),
        {
            "steps": {
                "0": {
                    "raci": {
                        "responsible": {
                            "0": [
                                'Name one team, one person or a team\'s on-call person: {"team": …}, '
                                '{"user": …} or {"team": …, "on_call": true}.'
                            ]
                        }
                    }
                }
            }
        },
    ),
    (
        "order used twice in a tier",
        edit(("steps", 1, "tier"), "T1"),
        {
            "steps": {
                "1": {
                    "order": ["Order 1 in T1 is already used by step 1."],
                    "due_after": ["Due PT12H after T1 starts, but T1 lasts only PT6H."],
                }
            }
        },
    ),
    (
        "order not a number",
        edit(("steps", 0, "order"), "first"),
        {"steps": {"0": {"order": ["Give a whole number from 1 to 2147483647."]}}},
    ),
    (
        "negative duration",
        edit(("steps", 0, "due_after"), -60),
        {"steps": {"0": {"due_after": ["A duration must not be negative."]}}},
    ),
    (
        "negative ISO duration",
        edit(("steps", 0, "escalate_after"), "-PT1H"),
        {"steps": {"0": {"escalate_after": ["A duration must not be negative."]}}},
    ),
    (
        "not a duration",
        edit(("steps", 0, "due_after"), "two hours"),
        {
            "steps": {
                "0": {"due_after": ["Give an ISO 8601 duration such as PT6H or P2D, or a number of seconds."]}
            }
        },
    ),
    (
        "zero escalation delay",
        edit(("steps", 0, "escalate_after"), 0),
        {"steps": {"0": {"escalate_after": ["Escalation needs a delay longer than zero."]}}},
    ),
    (
        "step without a title",
        edit(("steps", 0, "title"), DELETE),
        {"steps": {"0": {"title": ["This field is required."]}}},
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_rule_names_the_field_and_writes_nothing(spec, risk_officer, change, expected):
    broken = spec()
    change(broken)
    with pytest.raises(InvalidPlaybook) as caught:
        playbook_create(spec=broken, created_by=risk_officer)
    assert caught.value.detail == expected
    assert Playbook.objects.count() == Tier.objects.count() == Step.objects.count() == 0
    assert RaciAssignment.objects.count() == 0


def test_an_inactive_person_cannot_be_named(spec, lead):
    lead.is_active = False
    lead.save()
    with pytest.raises(InvalidPlaybook) as caught:
        playbook_validate(spec())
    assert caught.value.detail == {
        "steps": {
            "0": {"raci": {"accountable": {"user": ["crisis.lead is no longer active."]}}},
            "1": {"raci": {"consulted": {"0": {"user": ["crisis.lead is no longer active."]}}}},
        }
    }


def test_a_party_named_twice_in_one_role(spec, team):
    broken = spec()
    broken["steps"][0]["raci"]["responsible"] = [{"team": team.pk}, {"team": "supply-chain"}]
    with pytest.raises(InvalidPlaybook) as caught:
        playbook_validate(broken)
    assert caught.value.detail == {
        "steps": {"0": {"raci": {"responsible": {"1": ["Supply chain is named twice."]}}}}
    }


def test_the_default_tiers_apply_when_omitted(spec):
    plan = spec()
    del plan["tiers"]
    clean = playbook_validate(plan)
    assert [(t.key, t.starts_after.total_seconds(), t.ends_after) for t in clean.tiers][2] == (
        "T3",
        48 * 3600,
        None,
    )
    assert [t.ends_after.total_seconds() for t in clean.tiers[:2]] == [6 * 3600, 48 * 3600]


def test_durations_as_seconds_iso_and_days_and_references_by_name(spec, team, lead):
    plan = spec()
    plan["steps"][0]["due_after"] = 7200
    plan["steps"][1]["due_after"] = "P1D"
    plan["steps"][1]["raci"]["accountable"] = {"user": "crisis.lead"}
    plan["steps"][1]["raci"]["informed"] = [{"team": "supply-chain"}]
    clean = playbook_validate(plan)
    assert clean.steps[0].due_after.total_seconds() == 7200
    assert clean.steps[1].due_after.total_seconds() == 86400
    assert {(r.role, r.team, r.user) for r in clean.steps[1].raci} >= {
        ("accountable", None, lead),
        ("informed", team, None),
    }


def test_an_open_ended_tier_takes_any_due_time(spec):
    plan = spec()
    plan["steps"][1]["tier"] = "T3"
    plan["steps"][1]["due_after"] = "PT500H"
    assert playbook_validate(plan).steps[1].due_after.total_seconds() == 500 * 3600
