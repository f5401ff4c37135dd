"""Two sweeps at once (two workers, or beat's message delivered twice): each due repeat is told once.

The first sweep holds its transaction open until the second has run, so they really overlap on
PostgreSQL's row locks (SQLite locks the whole database: skipped there)."""

import pytest

from notifications.models import Notification, Repeat
from notifications.repeats import repeats_fire
from notifications.rules import rule_set
from tests.factories import H, fire_due, plant_fire
from tests.risks.overlap import at_once, postgresql_only

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_two_sweeps_at_once_tell_each_repeat_once(cast, playbook, declared_at):
    for name in ("buyer", "logistics", "contact"):
        rule_set(user=cast[name], by=cast[name], repeat_minutes=5)
    for _ in range(3):
        plant_fire(cast, playbook, declared_at)
    fire_due(declared_at + 2 * H)
    assert Repeat.objects.count() == 9  # three people, three tasks
    now = max(Repeat.objects.values_list("next_at", flat=True))

    results, errors = at_once(lambda: repeats_fire(now=now), lambda: repeats_fire(now=now))

    assert errors == []
    assert results == {"first": 9, "second": 0}  # the second skipped the rows the first holds
    assert repeats_fire(now=now) == 0
    assert Notification.objects.filter(title__startswith="Still unacknowledged: ").count() == 9
    assert set(Repeat.objects.values_list("times", flat=True)) == {1}
