"""Who is on call: rotations across daylight saving, weekly turns, the Chinese working calendar,
overrides, swaps, gaps, and the batch selector's query count."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import InvalidTransition
from oncall import selectors, services
from oncall.models import CalendarDay, DayKind, Schedule, SwapStatus
from people.models import Role, Team
from tests.factories import person

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def local(zone: str, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.fixture
def team():
    return Team.objects.create(slug="ops", name="Operations")


@pytest.fixture
def crew(team):
    return [person(Role.RESPONDER, name, teams=[team]) for name in ("ann", "bo", "cai")]


def schedule(team, zone="Europe/London", calendar="weekdays") -> Schedule:
    return services.schedule_create(
        by=None, team=team, name="Primary", time_zone=zone, working_calendar=calendar
    )


def daily(plan: Schedule, people, start=dt.date(2025, 3, 1), **fields):
    values = {"name": "Daily", "start_date": start, "handoff_time": dt.time(9), "shift_unit": "days"}
    return services.layer_create(by=None, schedule_id=plan.pk, people=people, **{**values, **fields})


@pytest.mark.parametrize(
    "zone, day, hours",
    [
        ("Europe/London", dt.date(2025, 3, 29), 23),  # spring forward, the night of 30 March
        ("Europe/London", dt.date(2025, 10, 25), 25),  # fall back, the night of 26 October
        ("America/New_York", dt.date(2025, 3, 8), 23),  # spring forward, 9 March
        ("America/New_York", dt.date(2025, 11, 1), 25),  # fall back, 2 November
    ],
)
def test_a_daily_hand_off_stays_at_nine_local_across_daylight_saving(team, crew, zone, day, hours):
    plan = schedule(team, zone)
    daily(plan, crew)
    since = local(zone, day.year, day.month, day.day, 0)
    shifts = selectors.schedule_shifts(schedule_id=plan.pk, since=since, until=since + 72 * H)

    starts = [shift.starts_at.astimezone(zoneinfo.ZoneInfo(zone)) for shift in shifts[1:]]
    assert [start.time() for start in starts] == [dt.time(9), dt.time(9), dt.time(9)]
    assert shifts[1].ends_at - shifts[1].starts_at == hours * H
    assert shifts[2].ends_at - shifts[2].starts_at == 24 * H
    # The rotation goes on in turn: day n of the rotation belongs to crew[n % 3].
    first = (day - dt.date(2025, 3, 1)).days
    assert [shift.person for shift in shifts[1:]] == [crew[(first + n) % 3] for n in range(3)]
    # And the selector agrees a minute either side of the hand-off.
    handoff = starts[1]
    before = selectors.on_call(team_id=team.pk, at=handoff - dt.timedelta(minutes=1))
    after = selectors.on_call(team_id=team.pk, at=handoff + dt.timedelta(minutes=1))
    assert (before.person, after.person) == (shifts[1].person, shifts[2].person)


def test_a_weekly_rotation_hands_over_on_monday_mornings(team, crew):
    plan = schedule(team)
    daily(plan, crew, start=dt.date(2025, 6, 2), shift_unit="weeks")  # a Monday
    zone = "Europe/London"
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 8, 23)).person == crew[0]
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 9, 8, 59)).person == crew[0]
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 9, 9)).person == crew[1]
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 23, 12)).person == crew[0]


def test_a_working_days_layer_follows_the_chinese_calendar(team, crew):
    """Saturday 8 February 2025 was a make-up working day (调休) after the Spring Festival;
    Wednesday 1 October 2025 was National Day, a holiday."""
    zone = "Asia/Shanghai"
    plan = schedule(team, zone, calendar="cn")
    daily(
        plan,
        crew[:1],
        start=dt.date(2025, 1, 1),
        covers_from=dt.time(9),
        covers_until=dt.time(18),
        working_days_only=True,
    )

    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 2, 8, 10)).person == crew[0]
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 2, 8, 19)).person is None
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 10, 1, 10)).person is None
    assert (
        selectors.on_call(team_id=team.pk, at=local(zone, 2025, 2, 15, 10)).person is None
    )  # a plain Saturday
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 10, 9, 10)).person == crew[0]


def test_the_organisations_own_days_win_over_the_official_calendar(team, crew):
    zone = "Asia/Shanghai"
    plan = schedule(team, zone, calendar="cn")
    daily(plan, crew[:1], covers_from=dt.time(9), covers_until=dt.time(18), working_days_only=True)
    services.calendar_day_set(by=None, date=dt.date(2025, 10, 9), kind=DayKind.HOLIDAY, name="Company day")
    services.calendar_day_set(by=None, date=dt.date(2025, 10, 1), kind=DayKind.WORKING_DAY)

    assert CalendarDay.objects.count() == 2
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 10, 9, 10)).person is None
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 10, 1, 10)).person == crew[0]


def test_a_night_layer_wins_over_the_business_hours_layer_and_the_rest_is_a_gap(team, crew):
    zone = "Europe/London"
    plan = schedule(team, zone)
    days = daily(plan, crew[:1], name="Business hours", covers_from=dt.time(9), covers_until=dt.time(17))
    nights = daily(
        plan, crew[1:2], name="Nights", priority=2, covers_from=dt.time(16), covers_until=dt.time(8)
    )
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 4, 10)).layer.id == days.pk
    late = selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 4, 16, 30))
    assert (late.person, late.layer.id) == (crew[1], nights.pk)
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 5, 7)).person == crew[1]
    gap = selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 5, 8, 30))
    assert (gap.person, gap.schedule.id) == (None, plan.pk)

    shifts = selectors.schedule_shifts(
        schedule_id=plan.pk, since=local(zone, 2025, 6, 5, 0), until=local(zone, 2025, 6, 6, 0)
    )
    assert [(s.starts_at.astimezone(zoneinfo.ZoneInfo(zone)).hour, s.person) for s in shifts] == [
        (0, crew[1]),
        (8, None),
        (9, crew[0]),
        (16, crew[1]),
    ]


def test_an_override_covers_its_span_inside_a_rotation(team, crew):
    zone = "Europe/London"
    plan = schedule(team, zone)
    daily(plan, crew[:2])
    stand_in = person(Role.RESPONDER, "dee", teams=[team])
    override = services.override_create(
        by=None,
        schedule_id=plan.pk,
        person=stand_in,
        starts_at=local(zone, 2025, 6, 4, 12),
        ends_at=local(zone, 2025, 6, 4, 15),
        reason="Dentist",
    )
    shifts = selectors.schedule_shifts(
        schedule_id=plan.pk, since=local(zone, 2025, 6, 4, 9), until=local(zone, 2025, 6, 5, 9)
    )
    assert [(s.person, s.override and s.override.id) for s in shifts] == [
        (shifts[0].person, None),
        (stand_in, override.pk),
        (shifts[0].person, None),
    ]
    assert shifts[1].ends_at - shifts[1].starts_at == 3 * H


def test_a_swap_counts_once_accepted(team, crew):
    zone = "Europe/London"
    plan = schedule(team, zone)
    layer = daily(plan, crew[:2], start=dt.date(2025, 6, 2))  # ann on the 2nd, 4th…; bo on the 3rd, 5th…
    ann_day, bo_day = local(zone, 2025, 6, 4, 12), local(zone, 2025, 6, 5, 12)
    swap = services.swap_propose(
        by=crew[0],
        layer_id=layer.pk,
        requester=crew[0],
        partner=crew[1],
        requester_shift_at=ann_day,
        partner_shift_at=bo_day,
    )
    assert swap.requester_shift_start == local(zone, 2025, 6, 4, 9)
    # Pending: nothing changes.
    assert selectors.on_call(team_id=team.pk, at=ann_day).person == crew[0]

    services.swap_decide(swap_id=swap.pk, by=crew[1], status=SwapStatus.ACCEPTED, now=ann_day)
    swapped = selectors.on_call(team_id=team.pk, at=ann_day)
    assert (swapped.person, swapped.swap.id) == (crew[1], swap.pk)
    assert selectors.on_call(team_id=team.pk, at=bo_day).person == crew[0]
    assert selectors.on_call(team_id=team.pk, at=local(zone, 2025, 6, 6, 12)).person == crew[0]
    with pytest.raises(InvalidTransition):
        services.swap_decide(swap_id=swap.pk, by=crew[1], status=SwapStatus.DECLINED, now=ann_day)


def test_a_swap_of_a_shift_that_is_not_theirs_is_refused(team, crew):
    from django.core.exceptions import ValidationError

    zone = "Europe/London"
    layer = daily(schedule(team, zone), crew[:2], start=dt.date(2025, 6, 2))
    with pytest.raises(ValidationError) as refused:
        services.swap_propose(
            by=crew[0],
            layer_id=layer.pk,
            requester=crew[0],
            partner=crew[1],
            requester_shift_at=local(zone, 2025, 6, 5, 12),
            partner_shift_at=local(zone, 2025, 6, 6, 12),
        )
    assert set(refused.value.message_dict) == {"requester_shift_at"}


def test_who_is_on_call_for_200_teams_takes_a_constant_number_of_queries(crew):
    zone = "Europe/London"
    teams = Team.objects.bulk_create(Team(slug=f"t{n}", name=f"Team {n}") for n in range(200))
    for number, team in enumerate(teams[:40]):
        plan = schedule(team, zone)
        daily(plan, crew[number % 3 :])
        services.override_create(
            by=None,
            schedule_id=plan.pk,
            person=crew[0],
            starts_at=local(zone, 2025, 6, 4, 11),
            ends_at=local(zone, 2025, 6, 4, 13),
        )
    at = local(zone, 2025, 6, 4, 12)
    with CaptureQueriesContext(connection) as few:
        selectors.on_call_for_teams(team_ids=[t.pk for t in teams[:2]], at=at)
    with CaptureQueriesContext(connection) as many:
        answers = selectors.on_call_for_teams(team_ids=[t.pk for t in teams], at=at)
    assert len(many.captured_queries) == len(few.captured_queries) <= 7
    assert all(answers[t.pk].person == crew[0] for t in teams[:40])
    assert all(answers[t.pk].schedule is None for t in teams[40:])
