"""The on-call pages: the schedules, one schedule's coming weeks day by day in the viewer's time
zone and language; and the calendar feeds, whose secret address is their only credential."""

import datetime as dt
import itertools

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from oncall import feeds, selectors
from oncall.models import Schedule
from oncall.rotation import shifts_between
from oncall.services import feed_token_digest

DAY = dt.timedelta(days=1)
FEED_PAST, FEED_AHEAD = dt.timedelta(days=7), dt.timedelta(days=60)


@login_required
def schedule_list(request):
    now = timezone.now()
    schedules = list(selectors.schedule_list())
    on_call = selectors.on_call_for_teams(team_ids={s.team_id for s in schedules}, at=now)
    rows = [{"schedule": s, "person": on_call[s.team_id].person} for s in schedules]
    return render(request, "oncall/list.html", {"rows": rows})


@login_required
def schedule_detail(request, pk: int):
    try:
        schedule = selectors.schedule_get(schedule_id=pk)
    except Schedule.DoesNotExist:
        raise Http404 from None
    weeks = 4 if request.GET.get("weeks") == "4" else 2
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    until = timezone.localtime(today + weeks * 7 * DAY).replace(hour=0, minute=0)
    plan = selectors.schedule_plan(schedule_id=schedule.pk, since=today, until=until)
    shifts = shifts_between(plan, today, until)
    days = [
        {"date": date, "shifts": list(group)}
        for date, group in itertools.groupby(
            shifts, key=lambda shift: timezone.localtime(shift.starts_at).date()
        )
    ]
    return render(
        request,
        "oncall/detail.html",
        {
            "schedule": schedule,
            "plan": plan,
            "days": days,
            "weeks": weeks,
            "now": timezone.now(),
            "gaps": [shift for shift in shifts if shift.is_gap],
        },
    )


def feed(request, token: str):
    found = selectors.feed_find(token_hash=feed_token_digest(token))
    if found is None:
        raise Http404
    now = timezone.now()
    since, until = now - FEED_PAST, now + FEED_AHEAD
    if found.schedule is not None:
        plan = selectors.schedule_plan(schedule_id=found.schedule_id, since=since, until=until)
        name, shifts = found.schedule.name, [(plan, s) for s in shifts_between(plan, since, until)]
        language = translation.get_language()
    else:
        name, shifts = (
            str(found.person),
            selectors.person_shifts(person_id=found.person_id, since=since, until=until),
        )
        language = found.person.language
    with translation.override(language):
        body = feeds.calendar(name=name, shifts=shifts, stamp=now)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
