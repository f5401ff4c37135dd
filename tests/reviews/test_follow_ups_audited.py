"""Follow-up actions are audited: who added one, who marked it done, and what changed."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from reviews import services

pytestmark = pytest.mark.django_db


def test_a_follow_up_added_and_completed_is_logged_with_its_actors(cast, resolved):
    due = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    action = services.follow_up_create(
        incident_id=resolved.pk,
        by=cast["commander"],
        title="Audit the supplier",
        owner=cast["buyer"],
        due_at=due,
    )
    services.follow_up_complete(follow_up_id=action.pk, by=cast["buyer"])

    creation, completion = AuditEntry.objects.filter(
        object_type="reviews.followupaction", object_id=str(action.pk)
    ).order_by("id")
    assert (creation.action, creation.actor) == ("created", cast["commander"])
    assert (creation.after["title"], creation.after["owner_id"]) == ("Audit the supplier", cast["buyer"].pk)
    assert (completion.action, completion.actor) == ("updated", cast["buyer"])
    assert completion.before == {"state": "open", "done_at": None}
    assert completion.after["state"] == "done" and completion.after["done_at"]
