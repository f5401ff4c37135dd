"""The review page edits all that the API does: risk re-ratings with a reason, playbook proposals
(a new draft version), follow-up actions, pinned entries, an administrator's waiver. Bad input
is a 400 with the error next to its field, and nothing is written."""

import datetime as dt
import zoneinfo

import pytest

from playbooks.exchange import playbook_export
from playbooks.models import Playbook, PlaybookStatus
from reviews.models import (
    FollowUpAction,
    FollowUpState,
    PlaybookProposal,
    RatingDecision,
    Review,
    ReviewStatus,
)
from risks.models import ScoreChange

pytestmark = pytest.mark.django_db
FASTER = "description: Three-level response, faster tier 1"


def review_page(incident) -> str:
    return f"/incidents/{incident.pk}/review/"


def texts(**extra) -> dict:
    return {"summary": "Plant fire", "root_cause": "Single source", "whys": ["One supplier"], **extra}


def rating(risk, **values) -> dict:
    return {f"risk-{risk.pk}-{field}": value for field, value in values.items()}


def test_the_page_re_rates_a_risk_with_a_reason_through_the_register(client, cast, resolved, risk):
    client.force_login(cast["commander"])
    body = texts(
        complete="", **rating(risk, decision="rerate", likelihood=5, impact=5, note="It happened twice")
    )
    response = client.post(review_page(resolved), body)
    assert response.status_code == 302
    review = Review.objects.get(incident=resolved)
    assert review.status == ReviewStatus.COMPLETED
    row = review.ratings.get()
    assert (row.decision, row.likelihood, row.impact, row.note) == ("rerate", 5, 5, "It happened twice")
    change = ScoreChange.objects.get(risk=risk, incident_id=resolved.pk)
    assert change.after["likelihood"] == 5 and change.after["impact"] == 5 and change.by == cast["commander"]
    page = client.get(review_page(resolved)).content.decode()
    assert "It happened twice" in page and 'name="summary"' not in page  # completed: read only


def test_a_rating_off_the_scale_is_an_error_next_to_its_field(client, cast, resolved, risk):
    client.force_login(cast["commander"])
    response = client.post(review_page(resolved), texts(**rating(risk, decision="rerate", likelihood=9)))
    assert response.status_code == 400
    assert f'id="risk-{risk.pk}-likelihood-errors"' in response.content.decode()
    review = Review.objects.get(incident=resolved)
    assert review.summary == "" and review.ratings.get().decision == RatingDecision.UNDECIDED


def test_completing_without_a_decision_says_which_risk_next_to_the_ratings(client, cast, resolved, risk):
    client.force_login(cast["commander"])
    response = client.post(review_page(resolved), texts(complete="", **rating(risk, decision="")))
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        'id="ratings-errors"' in page and risk.ref in page.split('id="ratings-errors"')[1].split("</ul>")[0]
    )
    assert Review.objects.get(incident=resolved).status == ReviewStatus.OPEN


def test_a_proposal_from_the_page_is_a_new_draft_version_with_its_diff(client, cast, resolved, playbook):
    client.force_login(cast["commander"])
    page = client.get(review_page(resolved)).content.decode()
    assert "description: Three-level response\n" in page  # the version used, as YAML, to change
    yaml = playbook_export(playbook).replace("description: Three-level response", FASTER)
    response = client.post(
        review_page(resolved), {"propose": "", "rationale": "Tier 1 was slow", "playbook": yaml}
    )
    assert response.status_code == 302
    proposal = PlaybookProposal.objects.get()
    assert proposal.used == playbook and proposal.rationale == "Tier 1 was slow"
    assert proposal.draft.status == PlaybookStatus.DRAFT and proposal.draft.version == playbook.version + 1
    assert f"+{FASTER}" in proposal.diff
    assert f"+{FASTER}" in client.get(review_page(resolved)).content.decode()


@pytest.mark.parametrize(
    "rationale, playbook_text, field",
    [
        ("", "use", "rationale"),
        ("Faster", "name: [unclosed", "playbook"),
        ("Faster", "same", "playbook"),  # changes nothing
        ("Faster", "tiers: []", "playbook"),  # not a valid playbook
    ],
)
def test_bad_proposals_are_errors_next_to_their_fields(
    client, cast, resolved, playbook, rationale, playbook_text, field
):
    client.force_login(cast["commander"])
    text = {
        "use": playbook_export(playbook).replace("Three-level response", "x"),
        "same": playbook_export(playbook),
    }
    body = {"propose": "", "rationale": rationale, "playbook": text.get(playbook_text, playbook_text)}
    response = client.post(review_page(resolved), body)
    assert response.status_code == 400
    assert f'id="{field}-errors"' in response.content.decode()
    assert not PlaybookProposal.objects.exists()
    assert not Playbook.objects.filter(status=PlaybookStatus.DRAFT).exists()


def test_follow_ups_are_added_with_owner_and_due_time_and_marked_done_by_their_owner(client, cast, resolved):
    cast["commander"].timezone = "Asia/Shanghai"
    cast["commander"].save()
    client.force_login(cast["commander"])
    body = {
        "add_follow_up": "",
        "title": "Qualify a second supplier",
        "owner": cast["buyer"].pk,
        "due_at": "2030-03-01T09:30",
    }
    assert client.post(review_page(resolved), body).status_code == 302
    action = FollowUpAction.objects.get()
    assert action.owner == cast["buyer"] and action.title == "Qualify a second supplier"
    assert action.due_at == dt.datetime(2030, 3, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))

    client.force_login(cast["ceo"])  # reads the review, is not the owner
    assert client.post(review_page(resolved), {"follow_up_done": action.pk}).status_code == 403
    client.force_login(cast["buyer"])
    assert client.post(review_page(resolved), {"follow_up_done": action.pk}).status_code == 302
    action.refresh_from_db()
    assert action.state == FollowUpState.DONE


@pytest.mark.parametrize(
    "changes, field",
    [({"title": ""}, "title"), ({"owner": ""}, "owner"), ({"due_at": "soon"}, "due_at")],
)
def test_bad_follow_ups_are_errors_next_to_their_fields(client, cast, resolved, changes, field):
    client.force_login(cast["commander"])
    body = {
        "add_follow_up": "",
        "title": "Audit",
        "owner": cast["buyer"].pk,
        "due_at": "2030-03-01T09:30",
        **changes,
    }
    response = client.post(review_page(resolved), body)
    assert response.status_code == 400 and f'id="{field}-errors"' in response.content.decode()
    assert not FollowUpAction.objects.exists()


def test_timeline_entries_are_pinned_from_the_page(client, cast, resolved):
    client.force_login(cast["officer"])
    seqs = list(resolved.timeline.order_by("seq").values_list("seq", flat=True)[:2])
    assert client.post(review_page(resolved), texts(pinned=seqs)).status_code == 302
    review = Review.objects.get(incident=resolved)
    assert [pin.entry.seq for pin in review.pinned.all()] == seqs
    assert client.post(review_page(resolved), texts(pinned=[9999])).status_code == 400


def test_only_an_administrator_waives_and_the_reason_is_required(client, cast, resolved):
    client.force_login(cast["officer"])
    assert client.post(review_page(resolved), {"waive": "", "reason": "Drill"}).status_code == 403
    client.force_login(cast["admin"])
    response = client.post(review_page(resolved), {"waive": "", "reason": ""})
    assert response.status_code == 400 and 'id="reason-errors"' in response.content.decode()
    assert (
        client.post(review_page(resolved), {"waive": "", "reason": "A drill of the drill"}).status_code == 302
    )
    review = Review.objects.get(incident=resolved)
    assert review.status == ReviewStatus.WAIVED and review.waiver_reason == "A drill of the drill"
