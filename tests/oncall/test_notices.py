"""Warnings ahead (gaps, people on call nobody can reach) to the team's escalation contact, and
hand-off notices to the person on call: each told once, in the reader's language and time zone,
in a constant number of queries. Time is passed in.

The supply team's schedule (Europe/London): a daily rotation at 09:00 of the buyer and logistics,
Monday to Friday only, so each weekend is a gap. Monday 2 June 2025: logistics' shift (09:00 to
09:00) follows the buyer's."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification, WebhookEndpoint
from oncall import services
from oncall.hand_offs import hand_offs_tell
from oncall.lookout import warnings_send
from oncall.models import Notice, NoticeKind
from people.models import Team, User
from tests.factories import plant_fire

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY_0900 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=LONDON)
MINUTE = dt.timedelta(minutes=1)


def rota(team, people, by, name="Supply on call"):
    schedule = services.schedule_create(
        by=by, team=team, name=name, time_zone="Europe/London", working_calendar="weekdays"
    )
    services.layer_create(
        by=by,
        schedule_id=schedule.pk,
        people=people,
        name="Weekdays",
        start_date=dt.date(2025, 3, 1),
        handoff_time=dt.time(9, 0),
        shift_count=1,
        shift_unit="days",
        weekdays=[0, 1, 2, 3, 4],
    )
    return schedule


@pytest.fixture
def schedule(cast):
    """The buyer has an e-mail address, logistics none and no chat: nothing reaches them. The contact
    reads Chinese in Shanghai."""
    User.objects.filter(pk=cast["buyer"].pk).update(email="buyer@example.com")
    User.objects.filter(pk=cast["contact"].pk).update(
        email="contact@example.com", language="zh-hans", timezone="Asia/Shanghai"
    )
    return rota(cast["supply"], [cast["buyer"], cast["logistics"]], cast["admin"])


def test_a_gap_is_warned_about_once_to_the_escalation_contact_in_their_language(cast, schedule):
    WebhookEndpoint.objects.create(
        name="Logistics", service="json", url="http://127.0.0.1:9/", user=cast["logistics"]
    )
    now = MONDAY_0900 - 2 * MINUTE
    assert warnings_send(now=now) == 1
    gap = Notice.objects.get()
    assert (gap.kind, gap.person, gap.told) == (NoticeKind.GAP, None, cast["contact"])
    saturday, monday = dt.datetime(2025, 6, 7, tzinfo=LONDON), dt.datetime(2025, 6, 9, tzinfo=LONDON)
    assert (gap.starts_at, gap.ends_at) == (saturday, monday)
    told = Notification.objects.get(recipient=cast["contact"], kind="oncall.warning")
    assert "Supply on call" in told.title and "Supply on call" in told.body
    assert "无人值班" in told.title and "Nobody" not in told.body
    assert "07:00" in told.body and "(Asia/Shanghai)" in told.body  # Saturday 00:00 in London
    assert told.url == f"/oncall/{schedule.pk}/"

    for later in (now + 5 * MINUTE, now + dt.timedelta(days=1), now + dt.timedelta(days=4)):
        assert warnings_send(now=later) == 0  # the same gap, seen again, however it is cut
    assert Notification.objects.filter(kind="oncall.warning").count() == 1


def test_a_person_on_call_nobody_can_reach_is_warned_about_once_per_shift(cast, schedule):
    now = MONDAY_0900 - 2 * MINUTE
    warnings_send(now=now)
    unreachable = Notice.objects.filter(kind=NoticeKind.UNREACHABLE)
    assert {notice.person for notice in unreachable} == {cast["logistics"]}
    assert unreachable.count() == 4  # Monday, Wednesday and Friday from 09:00, next Monday from 00:00
    told = Notification.objects.filter(recipient=cast["contact"], title__contains="logistics")
    assert told.count() == 4
    assert "联系不上" in told.first().title
    assert warnings_send(now=now + dt.timedelta(hours=1)) == 0  # the same four shifts, seen again


def test_a_team_without_an_escalation_contact_warns_nobody(cast, schedule):
    Team.objects.filter(pk=cast["supply"].pk).update(escalation_contact=None)
    assert warnings_send(now=MONDAY_0900) == 0
    assert not Notice.objects.exists() and not Notification.objects.exists()


def test_hand_off_the_person_starting_hears_what_is_open_and_the_one_ending_who_is_next(
    cast, schedule, playbook, declared_at
):
    plant_fire(cast, playbook, declared_at)
    now = MONDAY_0900 + 30 * dt.timedelta(seconds=1)
    assert hand_offs_tell(now=now) == 2
    starting = Notification.objects.get(recipient=cast["logistics"], kind="oncall.shift")
    assert starting.title == "Your on-call shift for “Supply on call” starts now"
    assert "You are on call for Supply chain in “Supply on call” from" in starting.body
    assert "Open for Supply chain now:" in starting.body
    assert (
        "Main supplier plant fire" in starting.body
        and "“Switch to the backup-supplier pool”" in starting.body
    )
    assert "T09:00" not in starting.body and "+00:00" not in starting.body
    ending = Notification.objects.get(recipient=cast["buyer"], kind="oncall.shift")
    assert ending.title == "Your on-call shift for “Supply on call” has ended"
    assert ending.body == "logistics is on call now."

    assert hand_offs_tell(now=now + MINUTE) == 0
    assert hand_offs_tell(now=now + 20 * MINUTE) == 0
    assert Notification.objects.filter(kind="oncall.shift").count() == 2


def test_a_start_with_nothing_open_says_so_and_an_end_before_a_gap_says_nobody_follows(cast, schedule):
    saturday = dt.datetime(2025, 6, 7, 0, 0, 30, tzinfo=LONDON)  # Friday's shift ends at midnight
    assert hand_offs_tell(now=saturday) == 1
    assert Notification.objects.get(kind="oncall.shift").body == "Nobody is on call after you."
    monday_midnight = dt.datetime(2025, 6, 9, 0, 0, 30, tzinfo=LONDON)
    assert hand_offs_tell(now=monday_midnight) == 1
    assert "Nothing is open for Supply chain now." in Notification.objects.latest("pk").body


def test_a_shift_that_started_longer_ago_than_the_grace_is_not_told(cast, schedule):
    assert hand_offs_tell(now=MONDAY_0900 + dt.timedelta(hours=2)) == 0


def test_the_sweeps_cost_the_same_queries_for_one_schedule_or_many(cast, schedule):
    def queries(sweep, now) -> int:
        with CaptureQueriesContext(connection) as captured:
            sweep(now=now)
        return len(captured.captured_queries)

    one = (queries(warnings_send, MONDAY_0900), queries(hand_offs_tell, MONDAY_0900 + MINUTE))
    Notice.objects.all().delete()
    for number in range(4):
        team = Team.objects.create(
            slug=f"team-{number}", name=f"Team {number}", escalation_contact=cast["contact"]
        )
        rota(team, [cast["buyer"], cast["logistics"]], cast["admin"], name=f"Rota {number}")
    many = (queries(warnings_send, MONDAY_0900), queries(hand_offs_tell, MONDAY_0900 + MINUTE))
    assert one == many
    assert Notice.objects.filter(kind=NoticeKind.GAP).count() == 5


def test_the_schedule_page_marks_the_gaps_and_warns_above_the_calendar(client, cast, schedule):
    client.force_login(cast["buyer"])
    page = client.get(f"/oncall/{schedule.pk}/").content.decode()
    assert 'class="oncall-warning" role="alert"' in page
    assert "Nobody is on call" in page and "oncall-shift gap" in page
