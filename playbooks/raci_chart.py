"""The classic RACI chart: steps × teams and people, each cell R, A, C or I (or several)."""

import csv
import io
from dataclasses import dataclass

from playbooks.models import Playbook, RaciRole, Step, party_name

KINDS = ("team", "oncall", "user")  # the chart's columns: teams, on-call people, then people

LETTERS = {
    RaciRole.RESPONSIBLE: "R",
    RaciRole.ACCOUNTABLE: "A",
    RaciRole.CONSULTED: "C",
    RaciRole.INFORMED: "I",
}


@dataclass(frozen=True)
class Party:
    kind: str  # "team", "oncall" (the team's on-call person) or "user"
    pk: int
    label: str


@dataclass(frozen=True)
class RaciRow:
    step: Step
    cells: list[str]  # one per party, e.g. "R", "R/A", ""


@dataclass(frozen=True)
class RaciChart:
    parties: list[Party]
    rows: list[RaciRow]


def raci_chart(playbook: Playbook) -> RaciChart:
    """Expects the playbook as `selectors.playbook_detail_queryset()` loads it: no further queries."""
    steps = list(playbook.steps.all())
    found: dict[tuple[str, int], Party] = {}
    for step in steps:
        for assignment in step.raci.all():
            party = _party(assignment)
            found.setdefault((party.kind, party.pk), party)
    parties = sorted(found.values(), key=lambda party: (KINDS.index(party.kind), party.label.lower()))
    columns = {(party.kind, party.pk): index for index, party in enumerate(parties)}
    rows = []
    for step in steps:
        letters: list[list[str]] = [[] for _ in parties]
        for assignment in step.raci.all():
            party = _party(assignment)
            letter = LETTERS[assignment.role]
            if letter not in letters[columns[(party.kind, party.pk)]]:
                letters[columns[(party.kind, party.pk)]].append(letter)
        rows.append(RaciRow(step=step, cells=["/".join(sorted(cell, key="RACI".index)) for cell in letters]))
    return RaciChart(parties=parties, rows=rows)


def _party(assignment) -> Party:
    if assignment.team_id:
        return Party(
            "oncall" if assignment.on_call else "team", assignment.team_id, str(party_name(assignment))
        )
    return Party("user", assignment.user_id, str(assignment.user))


def raci_chart_csv(chart: RaciChart) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Tier", "Order", "Step", *[party.label for party in chart.parties]])
    for row in chart.rows:
        writer.writerow([row.step.tier.key, row.step.order, row.step.title, *row.cells])
    return out.getvalue()
