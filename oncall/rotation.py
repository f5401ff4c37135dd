"""Who a schedule puts on call, worked out from its rows once they are loaded: no queries here.

Rotation arithmetic is done in the schedule's wall-clock time, so a daily 09:00 hand-off stays at
09:00 local across a daylight-saving change (that shift is 23 or 25 hours long, as it should be).
Moments are compared in UTC: aware datetimes sharing one tzinfo compare by wall time, which is
wrong in the repeated hour of autumn.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from oncall.calendars import is_working_day
from oncall.models import ShiftUnit

MIDNIGHT = dt.time(0, 0)


@dataclass(frozen=True)
class SwapPlan:
    id: int
    requester_id: int
    partner_id: int
    requester_shift: tuple[dt.datetime, dt.datetime]
    partner_shift: tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class LayerPlan:
    id: int
    name: str
    priority: int
    start_date: dt.date
    handoff_time: dt.time
    span: dt.timedelta
    people: tuple  # the rotation's people, in order
    weekdays: frozenset[int]
    covers_from: dt.time | None
    covers_until: dt.time | None
    working_days_only: bool
    swaps: tuple[SwapPlan, ...] = ()

    @property
    def restricted(self) -> bool:
        return bool(self.weekdays or self.covers_from or self.covers_until or self.working_days_only)


@dataclass(frozen=True)
class OverridePlan:
    id: int
    person: object
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass
class SchedulePlan:
    id: int
    team_id: int
    name: str
    tz: zoneinfo.ZoneInfo
    calendar: str
    layers: list[LayerPlan]  # highest priority first
    overrides: list[OverridePlan]  # later ones win
    own_days: Mapping[dt.date, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OnCall:
    """Who is on call at a moment (None: a gap) and what put them there."""

    schedule: SchedulePlan | None
    person: object | None = None
    layer: LayerPlan | None = None
    override: OverridePlan | None = None
    swap: SwapPlan | None = None


@dataclass(frozen=True)
class Shift:
    starts_at: dt.datetime
    ends_at: dt.datetime
    person: object | None  # None: nobody is on call (a gap)
    layer: LayerPlan | None
    override: OverridePlan | None
    swap: SwapPlan | None

    @property
    def is_gap(self) -> bool:
        return self.person is None


def shift_span(*, count: int, unit: str) -> dt.timedelta:
    return {
        ShiftUnit.HOURS: dt.timedelta(hours=count),
        ShiftUnit.DAYS: dt.timedelta(days=count),
        ShiftUnit.WEEKS: dt.timedelta(weeks=count),
    }[unit]


def _wall(at: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return at.astimezone(tz).replace(tzinfo=None)


def _moment(wall: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return wall.replace(tzinfo=tz).astimezone(dt.UTC)


def rotation_shift(
    layer: LayerPlan, tz: zoneinfo.ZoneInfo, at: dt.datetime
) -> tuple[int, dt.datetime, dt.datetime] | None:
    """The rotation's shift holding `at`: its number and its bounds (UTC), or None before it starts."""
    anchor = dt.datetime.combine(layer.start_date, layer.handoff_time)
    wall = _wall(at, tz)
    if wall < anchor or not layer.people:
        return None
    number = (wall - anchor) // layer.span
    start = anchor + number * layer.span
    return number, _moment(start, tz), _moment(start + layer.span, tz)


def _window(layer: LayerPlan, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The wall-clock window a restricted layer covers from `day`."""
    start = dt.datetime.combine(day, layer.covers_from or MIDNIGHT)
    until = layer.covers_until or MIDNIGHT
    end = dt.datetime.combine(day, until)
    return start, end if end > start else dt.datetime.combine(day + dt.timedelta(days=1), until)


def _day_covered(plan: SchedulePlan, layer: LayerPlan, day: dt.date) -> bool:
    if layer.weekdays and day.weekday() not in layer.weekdays:
        return False
    return not layer.working_days_only or is_working_day(day, calendar=plan.calendar, own_days=plan.own_days)


def layer_covers(plan: SchedulePlan, layer: LayerPlan, at: dt.datetime) -> bool:
    if not layer.restricted:
        return True
    wall = _wall(at, plan.tz)
    for day in (wall.date(), wall.date() - dt.timedelta(days=1)):
        start, end = _window(layer, day)
        if start <= wall < end and _day_covered(plan, layer, day):
            return True
    return False


def _layer_on_call(plan: SchedulePlan, layer: LayerPlan, at: dt.datetime) -> OnCall | None:
    shift = rotation_shift(layer, plan.tz, at)
    if shift is None or not layer_covers(plan, layer, at):
        return None
    person = layer.people[shift[0] % len(layer.people)]
    by_id = {member.pk: member for member in layer.people}
    for swap in layer.swaps:
        if person.pk == swap.requester_id and swap.requester_shift[0] <= at < swap.requester_shift[1]:
            return OnCall(plan, by_id.get(swap.partner_id, person), layer, swap=swap)
        if person.pk == swap.partner_id and swap.partner_shift[0] <= at < swap.partner_shift[1]:
            return OnCall(plan, by_id.get(swap.requester_id, person), layer, swap=swap)
    return OnCall(plan, person, layer)


def who_is_on_call(plan: SchedulePlan, at: dt.datetime) -> OnCall:
    """The latest override covering `at`, else the highest layer covering it, else a gap."""
    for override in reversed(plan.overrides):
        if override.starts_at <= at < override.ends_at:
            return OnCall(plan, override.person, override=override)
    for layer in plan.layers:
        if (found := _layer_on_call(plan, layer, at)) is not None:
            return found
    return OnCall(plan)


def _changes(plan: SchedulePlan, since: dt.datetime, until: dt.datetime) -> Iterator[dt.datetime]:
    """Every moment in the span where who is on call may change."""
    for override in plan.overrides:
        yield from (override.starts_at, override.ends_at)
    first_day = _wall(since, plan.tz).date() - dt.timedelta(days=1)
    last_day = _wall(until, plan.tz).date()
    for layer in plan.layers:
        for swap in layer.swaps:
            yield from (*swap.requester_shift, *swap.partner_shift)
        shift = rotation_shift(layer, plan.tz, since)
        wall = dt.datetime.combine(layer.start_date, layer.handoff_time)
        if shift is not None:
            wall += shift[0] * layer.span
        while (moment := _moment(wall, plan.tz)) < until:
            yield moment
            wall += layer.span
        if layer.restricted:
            day = first_day
            while day <= last_day:
                yield from (_moment(edge, plan.tz) for edge in _window(layer, day))
                day += dt.timedelta(days=1)


def _source(on_call: OnCall) -> tuple:
    return (
        getattr(on_call.person, "pk", None),
        getattr(on_call.layer, "id", None),
        getattr(on_call.override, "id", None),
        getattr(on_call.swap, "id", None),
    )


def shifts_between(plan: SchedulePlan, since: dt.datetime, until: dt.datetime) -> list[Shift]:
    """Who is on call from `since` to `until`, as consecutive shifts; gaps are shifts with nobody."""
    moments = sorted({since, until, *(at for at in _changes(plan, since, until) if since < at < until)})
    shifts: list[Shift] = []
    previous = None
    for start, end in zip(moments, moments[1:], strict=False):
        on_call = who_is_on_call(plan, start)
        if previous is not None and _source(previous) == _source(on_call):
            last = shifts.pop()
            start = last.starts_at
        shifts.append(Shift(start, end, on_call.person, on_call.layer, on_call.override, on_call.swap))
        previous = on_call
    return shifts


@dataclass(frozen=True)
class Span:
    """A stretch of one person's time on call (None: nobody), whatever layers or overrides made it."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    person: object | None


def spans_by_person(shifts: list[Shift]) -> list[Span]:
    """Consecutive shifts of the same person (or gaps) joined: a hand-off is a change of person."""
    spans: list[Span] = []
    for shift in shifts:
        person_id = getattr(shift.person, "pk", None)
        if (
            spans
            and getattr(spans[-1].person, "pk", None) == person_id
            and spans[-1].ends_at == shift.starts_at
        ):
            spans[-1] = Span(spans[-1].starts_at, shift.ends_at, spans[-1].person)
        else:
            spans.append(Span(shift.starts_at, shift.ends_at, shift.person))
    return spans
