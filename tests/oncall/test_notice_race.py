"""Two sweeps at once (two workers, or beat's message delivered twice): each gap is warned about
once and each hand-off told once. The first sweep holds its schedules' locks until the second is
seen waiting for them (PostgreSQL; SQLite locks the whole database: skipped there)."""

import datetime as dt

import pytest

from notifications.models import Notification
from oncall.hand_offs import hand_offs_tell
from oncall.lookout import warnings_send
from tests.oncall.test_notices import MONDAY_0900, rota
from tests.risks.overlap import at_once, postgresql_only

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


@pytest.mark.parametrize(
    ("sweep", "now", "kind", "told"),
    [
        (
            warnings_send,
            MONDAY_0900 - dt.timedelta(minutes=2),
            "oncall.warning",
            8,
        ),  # a gap; seven shifts, no e-mail here
        (hand_offs_tell, MONDAY_0900 + dt.timedelta(seconds=30), "oncall.shift", 2),
    ],
)
def test_two_sweeps_at_once_tell_each_thing_once(cast, sweep, now, kind, told):
    rota(cast["supply"], [cast["buyer"], cast["logistics"]], cast["admin"])
    results, errors = at_once(lambda: sweep(now=now), lambda: sweep(now=now))
    assert errors == []
    assert results == {"first": told, "second": 0}
    assert Notification.objects.filter(kind=kind).count() == told
