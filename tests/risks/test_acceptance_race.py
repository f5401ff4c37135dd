"""Two lapsers at once (the expiry sweep and a red KRI, or two sweeps on two workers): the acceptance
lapses exactly once, with one cause, one audit entry and one notice per person.

The first lapser holds its transaction open until the second is seen waiting for the risk's row lock,
so the two really overlap: PostgreSQL's row locks (SQLite locks the whole database)."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from people.models import Role
from risks import acceptances
from risks.models import Acceptance
from tests.risks.overlap import at_once, postgresql_only

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only,
]
DAY = dt.timedelta(days=1)


def lapse_by_kri(risk, at):
    return acceptances.acceptances_lapse_for_kri(
        risks=[risk], kri_id=1, name="On-time rate", name_zh="准时率", value=70, unit="%", now=at
    )


@pytest.mark.parametrize("second", ["sweep", "kri"])
def test_two_lapsers_at_once_lapse_it_once(make_risk, make_user, accept, second):
    risk = make_risk()
    accepted = accept(risk, asker=risk.owner, approver=make_user(Role.EXECUTIVE, username="ceo"))
    late = accepted.expires_at + DAY
    results, errors = at_once(
        lambda: acceptances.acceptances_lapse_expired(now=late),
        lambda: (
            acceptances.acceptances_lapse_expired(now=late) if second == "sweep" else lapse_by_kri(risk, late)
        ),
    )
    assert errors == []
    assert (results["first"], results["second"]) == (1, 0)
    acceptance = Acceptance.objects.get()
    assert (acceptance.state, acceptance.lapse_cause) == ("lapsed", "expired")
    assert AuditEntry.objects.filter(object_type="risks.acceptance", actor=None).count() == 1
    assert sorted(
        Notification.objects.filter(kind="risk.acceptance_lapsed").values_list(
            "recipient__username", flat=True
        )
    ) == ["ceo", "officer"]
