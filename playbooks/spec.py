"""A stored playbook version as the contract's JSON shape (the inverse of validation).

`references="ids"` names RACI teams and people by id (the API); `references="names"` by slug
and username, so that an exported file imports on another installation.
Expects the playbook as `selectors.playbook_detail_queryset()` loads it.
"""

from playbooks.durations import duration_text
from playbooks.models import Playbook, RaciAssignment, RaciRole

LIST_ROLES = (RaciRole.RESPONSIBLE, RaciRole.CONSULTED, RaciRole.INFORMED)


def playbook_spec(playbook: Playbook, *, references: str = "ids") -> dict:
    tiers = list(playbook.tiers.all())
    keys = {tier.pk: tier.key for tier in tiers}
    # Only when set, so that plans without it read as they always did.
    first_update = (
        {"first_update_within": duration_text(playbook.first_update_within)}
        if playbook.first_update_within
        else {}
    )
    return {
        "name": playbook.name,
        "description": playbook.description,
        "category": playbook.category,
        **first_update,
        "tiers": [
            {
                "key": tier.key,
                "name": tier.name,
                "starts_after": duration_text(tier.starts_after),
                "ends_after": None if tier.ends_after is None else duration_text(tier.ends_after),
            }
            for tier in tiers
        ],
        "steps": [
            {
                "tier": keys[step.tier_id],
                "order": step.order,
                "title": step.title,
                "instructions": step.instructions,
                "due_after": duration_text(step.due_after),
                "escalate_after": duration_text(step.escalate_after),
                "raci": raci_spec(list(step.raci.all()), references=references),
            }
            for step in sorted(playbook.steps.all(), key=lambda step: (step.tier.starts_after, step.order))
        ],
    }


def raci_spec(assignments: list[RaciAssignment], *, references: str) -> dict:
    by_role = {role: [] for role in RaciRole.values}
    for assignment in sorted(assignments, key=lambda assignment: assignment.position):
        by_role[assignment.role].append(party_spec(assignment, references=references))
    accountable = by_role[RaciRole.ACCOUNTABLE]
    return {
        RaciRole.RESPONSIBLE.value: by_role[RaciRole.RESPONSIBLE],
        RaciRole.ACCOUNTABLE.value: accountable[0] if accountable else None,
        RaciRole.CONSULTED.value: by_role[RaciRole.CONSULTED],
        RaciRole.INFORMED.value: by_role[RaciRole.INFORMED],
    }


def party_spec(assignment: RaciAssignment, *, references: str) -> dict:
    if assignment.team_id:
        team = {"team": assignment.team_id if references == "ids" else assignment.team.slug}
        return {**team, "on_call": True} if assignment.on_call else team
    return {"user": assignment.user_id if references == "ids" else assignment.user.username}
