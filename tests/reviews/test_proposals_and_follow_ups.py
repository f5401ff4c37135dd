"""Playbook proposals become new draft versions with a diff; follow-ups remind their owners once."""

import datetime as dt

from notifications.models import Notification
from playbooks.models import Playbook, PlaybookStatus
from reviews import services
from reviews.models import FollowUpAction, PlaybookProposal
from tests.factories import H

D = dt.timedelta(days=1)


def test_a_proposal_creates_a_new_draft_version_with_a_readable_diff(api, cast, resolved, playbook):
    response = api.as_user(cast["commander"]).post(
        f"/api/v1/incidents/{resolved.pk}/review/proposals/",
        {"rationale": "Tier 1 was too long", "spec": {"description": "Three-level response, faster tier 1"}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    draft = Playbook.objects.get(pk=body["draft"])
    assert draft.status == PlaybookStatus.DRAFT and draft.lineage == playbook.lineage
    assert draft.version == playbook.version + 1 == body["version"] and draft.based_on_id == playbook.pk
    assert body["used"] == playbook.pk
    assert "-description: Three-level response\n" in body["diff"]
    assert "+description: Three-level response, faster tier 1\n" in body["diff"]
    assert body["diff"].startswith("--- Supply-chain break v1 (used)")
    review = api.as_user(cast["ceo"]).get(f"/api/v1/incidents/{resolved.pk}/review/").json()
    assert review["proposals"][0]["diff"] == body["diff"]


def test_a_proposal_that_changes_nothing_is_a_400_and_leaves_no_draft(api, cast, resolved, playbook):
    response = api.as_user(cast["commander"]).post(
        f"/api/v1/incidents/{resolved.pk}/review/proposals/",
        {"rationale": "no-op", "spec": {"description": "Three-level response"}},
        format="json",
    )
    assert response.status_code == 400 and "spec" in response.json()
    assert not Playbook.objects.filter(status=PlaybookStatus.DRAFT).exists()
    assert not PlaybookProposal.objects.exists()


def test_an_invalid_proposal_is_a_field_level_400(api, cast, resolved):
    response = api.as_user(cast["commander"]).post(
        f"/api/v1/incidents/{resolved.pk}/review/proposals/",
        {"rationale": "", "spec": {"tiers": []}},
        format="json",
    )
    assert response.status_code == 400 and "rationale" in response.json()
    assert not Playbook.objects.filter(status=PlaybookStatus.DRAFT).exists()


def add_follow_up(api, cast, incident, due_at):
    return api.as_user(cast["commander"]).post(
        f"/api/v1/incidents/{incident.pk}/review/follow-ups/",
        {"title": "Qualify a second supplier", "owner": cast["buyer"].pk, "due_at": due_at.isoformat()},
        format="json",
    )


def test_follow_ups_remind_once_when_due_and_once_when_overdue(api, cast, resolved, declared_at):
    due_at = declared_at + 10 * D
    assert add_follow_up(api, cast, resolved, due_at).status_code == 201

    def told(kind):
        return list(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))

    assert services.follow_ups_remind(now=due_at - dt.timedelta(seconds=1)) == 0
    assert services.follow_ups_remind(now=due_at) == 1
    assert services.follow_ups_remind(now=due_at + H) == 0
    assert told("follow_up.due") == ["buyer"]
    assert services.follow_ups_remind(now=due_at + D - dt.timedelta(seconds=1)) == 0
    assert services.follow_ups_remind(now=due_at + D) == 1
    assert services.follow_ups_remind(now=due_at + 5 * D) == 0
    assert sorted(told("follow_up.overdue")) == ["buyer", "commander"]
    action = FollowUpAction.objects.get()
    assert action.due_reminded_at == due_at and action.overdue_reminded_at == due_at + D


def test_a_follow_up_done_in_time_is_never_reminded(api, cast, resolved, declared_at):
    due_at = declared_at + 10 * D
    follow_up = add_follow_up(api, cast, resolved, due_at).json()
    response = api.as_user(cast["buyer"]).post(f"/api/v1/follow-ups/{follow_up['id']}/complete/")
    assert response.status_code == 200 and response.json()["state"] == "done"
    assert services.follow_ups_remind(now=due_at + 5 * D) == 0
    assert (
        api.as_user(cast["buyer"]).post(f"/api/v1/follow-ups/{follow_up['id']}/complete/").status_code == 409
    )


def test_my_follow_ups_are_on_my_list(api, cast, resolved, declared_at, django_assert_num_queries):
    for days in (3, 1, 2):
        add_follow_up(api, cast, resolved, declared_at + days * D)
    client = api.as_user(cast["buyer"])
    with django_assert_num_queries(3):  # token with its user, count, page
        response = client.get("/api/v1/follow-ups/?mine=true")
    rows = response.json()["results"]
    assert [row["due_at"][:10] for row in rows] == [
        (declared_at + days * D).date().isoformat() for days in (1, 2, 3)
    ]
    assert {row["incident"] for row in rows} == {resolved.pk}
    assert api.as_user(cast["pr_lead"]).get("/api/v1/follow-ups/?mine=true").json()["results"] == []


def test_bad_follow_ups_are_field_level_400s(api, cast, resolved):
    response = api.as_user(cast["commander"]).post(
        f"/api/v1/incidents/{resolved.pk}/review/follow-ups/",
        {"title": "", "owner": 0, "due_at": "tomorrow"},
        format="json",
    )
    assert response.status_code == 400 and set(response.json()) == {"title", "owner", "due_at"}
    assert not FollowUpAction.objects.exists()
