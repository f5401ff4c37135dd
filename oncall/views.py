"""The on-call pages: the schedules, one schedule's coming weeks day by day in the viewer's time
zone and language, and for those who run a team's schedules the forms to set them up (a new
schedule, a layer, an override, and removing a layer or an override); and the calendar feeds,
whose secret address is their only credential."""

import datetime as dt
import itertools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from oncall import feeds, permissions, selectors, services
from oncall.forms import LayerForm, OverrideForm, ScheduleForm
from oncall.models import Schedule
from oncall.rotation import shifts_between
from oncall.services import feed_token_digest
from people.models import Team

DAY = dt.timedelta(days=1)
FEED_PAST, FEED_AHEAD = dt.timedelta(days=7), dt.timedelta(days=60)


def _managed_teams(user):
    return permissions.teams_managed_by(user, Team.objects.order_by("name"))


def _list(request, form: ScheduleForm | None = None, status: int = 200):
    now = timezone.now()
    schedules = list(selectors.schedule_list())
    on_call = selectors.on_call_for_teams(team_ids={s.team_id for s in schedules}, at=now)
    rows = [{"schedule": s, "person": on_call[s.team_id].person} for s in schedules]
    teams = _managed_teams(request.user)
    if form is None and teams.exists():
        form = ScheduleForm(teams=teams, initial={"time_zone": request.user.timezone})
    return render(request, "oncall/list.html", {"rows": rows, "form": form}, status=status)


@login_required
def schedule_list(request):
    return _list(request)


@login_required
@require_POST
def schedule_create(request):
    teams = _managed_teams(request.user)
    if not teams.exists():
        raise PermissionDenied
    form = ScheduleForm(request.POST, teams=teams)
    if form.is_valid():
        try:
            schedule = services.schedule_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("oncall-schedule", pk=schedule.pk)
    return _list(request, form, status=400)


def _schedule(pk: int) -> Schedule:
    try:
        return selectors.schedule_get(schedule_id=pk)
    except Schedule.DoesNotExist:
        raise Http404 from None


def _managed_schedule(request, pk: int) -> Schedule:
    schedule = _schedule(pk)
    if not permissions.may_manage_schedules(request.user, schedule.team):
        raise PermissionDenied
    return schedule


@login_required
def schedule_detail(request, pk: int):
    return _detail(request, _schedule(pk))


@login_required
@require_POST
def layer_add(request, pk: int):
    return _add(request, pk, form_class=LayerForm, create=services.layer_create, form_name="layer_form")


@login_required
@require_POST
def override_add(request, pk: int):
    return _add(
        request, pk, form_class=OverrideForm, create=services.override_create, form_name="override_form"
    )


def _add(request, pk: int, *, form_class, create, form_name: str):
    """A layer or an override added to the schedule by one who runs it; refused, the page again
    with the form as typed and each error under its field."""
    schedule = _managed_schedule(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            create(by=request.user, schedule_id=schedule.pk, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("oncall-schedule", pk=schedule.pk)
    return _detail(request, schedule, status=400, **{form_name: form})


@login_required
@require_POST
def layer_remove(request, pk: int, layer_id: int):
    return _remove(request, pk, in_place="layers", remove=services.layer_delete, layer_id=layer_id)


@login_required
@require_POST
def override_remove(request, pk: int, override_id: int):
    return _remove(
        request, pk, in_place="overrides", remove=services.override_delete, override_id=override_id
    )


def _remove(request, pk: int, *, in_place: str, remove, **item):
    """A layer or an override of this schedule removed by one who runs it (404 if not this schedule's)."""
    schedule = _managed_schedule(request, pk)
    if not getattr(schedule, in_place).filter(pk=next(iter(item.values()))).exists():
        raise Http404
    remove(by=request.user, **item)
    return redirect("oncall-schedule", pk=schedule.pk)


def _add_errors(form, error: ValidationError) -> None:
    """A service's errors under the form's fields ("people" under the first turn), the rest above."""
    for field, messages in error.message_dict.items():
        field = "person_1" if field == "people" else field
        form.add_error(field if field in form.fields else None, messages)


def _detail(request, schedule: Schedule, *, layer_form=None, override_form=None, status: int = 200):
    may_manage = permissions.may_manage_schedules(request.user, schedule.team)
    if may_manage:
        priority = max((layer.priority for layer in schedule.layers.all()), default=0) + 1
        today = timezone.localdate()
        layer_form = layer_form or LayerForm(
            initial={"priority": priority, "start_date": today, "handoff_time": dt.time(9)}
        )
        override_form = override_form or OverrideForm()
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
            "overrides_ahead": [o for o in plan.overrides if o.ends_at > timezone.now()],
            "may_manage": may_manage,
            "layer_form": layer_form,
            "override_form": override_form,
        },
        status=status,
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
