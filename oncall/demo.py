"""A demo schedule for `make run`: the supply-chain team follows the sun between Shanghai and Berlin."""

import datetime as dt

from django.utils import timezone

from oncall import services
from oncall.models import ShiftUnit, WorkingCalendar
from people.models import Team, User


def load(password: str) -> None:
    team = Team.objects.get(slug="supply-chain")
    buyer, logistics = User.objects.get(username="buyer"), User.objects.get(username="logistics")
    schedule = services.schedule_create(
        by=None,
        team=team,
        name="Supply chain on call · 供应链值班",
        time_zone="Asia/Shanghai",
        working_calendar=WorkingCalendar.CHINA,
    )
    today = timezone.localdate()
    since = today - dt.timedelta(days=today.weekday() + 7)  # a Monday: no gap before the rotations began
    services.layer_create(
        by=None,
        schedule_id=schedule.pk,
        people=[logistics, buyer],
        name="Round the clock · 全天候",
        priority=1,
        start_date=since,
        handoff_time=dt.time(9),
        shift_count=1,
        shift_unit=ShiftUnit.WEEKS,
    )
    services.layer_create(
        by=None,
        schedule_id=schedule.pk,
        people=[buyer],
        name="Shanghai working hours · 上海工作时间",
        priority=2,
        start_date=since,
        handoff_time=dt.time(9),
        shift_count=1,
        shift_unit=ShiftUnit.DAYS,
        covers_from=dt.time(9),
        covers_until=dt.time(18),
        working_days_only=True,
    )
