"""A step's RACI may name a team's on-call person: through the API, in files (by the team's slug),
in the RACI chart and on the playbook's page, in both languages."""

import pytest
import yaml
from django.utils import translation

from playbooks.exchange import playbook_export, spec_from_text
from playbooks.raci_chart import raci_chart
from playbooks.selectors import playbook_detail_queryset
from playbooks.services import playbook_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_call_spec(spec, team):
    plan = spec()
    plan["steps"][0]["raci"]["responsible"] = [{"team": team.pk, "on_call": True}]
    return plan


def test_a_yaml_round_trip_keeps_the_on_call_party(on_call_spec, risk_officer):
    first = playbook_create(spec=on_call_spec, created_by=risk_officer)
    text = playbook_export(first)
    assert yaml.safe_load(text)["steps"][0]["raci"]["responsible"] == [
        {"team": "supply-chain", "on_call": True}
    ]

    second = playbook_create(spec=spec_from_text(text), created_by=risk_officer)
    assert playbook_export(second) == text
    [party] = [a for a in second.steps.get(tier__key="T1").raci.all() if a.role == "responsible"]
    assert (party.team.slug, party.on_call) == ("supply-chain", True)


def test_the_api_takes_and_gives_the_on_call_party(api, risk_officer, on_call_spec, team):
    created = api.as_user(risk_officer).post("/api/v1/playbooks/", on_call_spec, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["steps"][0]["raci"]["responsible"] == [{"team": team.pk, "on_call": True}]


@pytest.mark.parametrize(
    "party",
    [
        {"team": "x", "on_call": True},
        {"user": 1, "on_call": True},
        {"on_call": True},
        {"team": 1, "on_call": "yes"},
    ],
)
def test_a_broken_on_call_party_is_refused_with_its_field(api, risk_officer, on_call_spec, team, party):
    party = {**party, "team": team.pk} if party.get("team") == 1 else party
    on_call_spec["steps"][0]["raci"]["responsible"] = [party]
    response = api.as_user(risk_officer).post("/api/v1/playbooks/validate/", on_call_spec, format="json")
    assert response.status_code == 400
    assert "0" in response.json()["steps"]["0"]["raci"]["responsible"]


def test_the_team_and_its_on_call_person_are_two_columns_of_the_raci_chart(on_call_spec, risk_officer):
    on_call_spec["steps"][1]["raci"]["informed"] = []
    playbook = playbook_create(spec=on_call_spec, created_by=risk_officer)
    chart = raci_chart(playbook_detail_queryset().get(pk=playbook.pk))
    with translation.override("zh-hans"):
        assert "值班：Supply chain" in [party.label for party in raci_chart(playbook).parties]
    assert [party.kind for party in chart.parties] == ["team", "team", "oncall", "user"]
    on_call_column = [party.kind for party in chart.parties].index("oncall")
    assert [row.cells[on_call_column] for row in chart.rows] == ["R", ""]
