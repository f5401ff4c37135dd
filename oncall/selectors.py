"""Reads: who is on call, for one team or many at once, and the shifts of a span. Every part of
the product asks these; they load a schedule's rows in a constant number of queries whatever the
number of teams, then work it out in rotation.py."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from oncall.models import CalendarDay, CalendarFeed, Layer, LayerMember, Override, Schedule, Swap, SwapStatus
from oncall.rotation import (
    LayerPlan,
    OnCall,
    OverridePlan,
    SchedulePlan,
    Shift,
    SwapPlan,
    shift_span,
    shifts_between,
    who_is_on_call,
)
from people.models import Team

# Loaded around the moment asked about, so that a rotation's day or a swap's shift that straddles it is seen.
MARGIN = dt.timedelta(days=2)


def schedule_list(*, team_id: int | None = None) -> QuerySet[Schedule]:
    schedules = Schedule.objects.select_related("team")
    return schedules if team_id is None else schedules.filter(team_id=team_id)


def schedule_get(*, schedule_id: int) -> Schedule:
    return Schedule.objects.select_related("team").get(pk=schedule_id)


def _plans(schedules: QuerySet[Schedule], since: dt.datetime, until: dt.datetime) -> list[SchedulePlan]:
    """The schedules' rows read in six queries, grouped here rather than by prefetch_related, whose
    per-row querysets cost more than the rows themselves for a few hundred schedules (bench/oncall)."""
    since, until = since - MARGIN, until + MARGIN
    schedules = list(schedules)
    layers = _grouped(Layer.objects.filter(schedule__in=schedules), "schedule_id")
    layer_ids = [layer.pk for group in layers.values() for layer in group]
    members = _grouped(
        LayerMember.objects.filter(layer_id__in=layer_ids).select_related("person").order_by("position"),
        "layer_id",
    )
    swaps = _grouped(
        Swap.objects.filter(layer_id__in=layer_ids, status=SwapStatus.ACCEPTED)
        .filter(
            Q(requester_shift_end__gt=since, requester_shift_start__lt=until)
            | Q(partner_shift_end__gt=since, partner_shift_start__lt=until)
        )
        .order_by("id"),
        "layer_id",
    )
    overrides = _grouped(
        Override.objects.filter(schedule__in=schedules, ends_at__gt=since, starts_at__lt=until)
        .select_related("person")
        .order_by("created_at", "id"),
        "schedule_id",
    )
    own_days = dict(
        CalendarDay.objects.filter(date__gte=since.date(), date__lte=until.date()).values_list("date", "kind")
    )
    return [
        _plan(schedule, layers[schedule.pk], members, swaps, overrides[schedule.pk], own_days)
        for schedule in schedules
    ]


def _grouped(rows: QuerySet, key: str) -> dict[int, list]:
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


def _plan(
    schedule: Schedule, layers: list, members: dict, swaps: dict, overrides: list, own_days: dict
) -> SchedulePlan:
    return SchedulePlan(
        id=schedule.pk,
        team_id=schedule.team_id,
        name=schedule.name,
        tz=zoneinfo.ZoneInfo(schedule.time_zone),
        calendar=schedule.working_calendar,
        layers=[
            LayerPlan(
                id=layer.pk,
                name=layer.name,
                priority=layer.priority,
                start_date=layer.start_date,
                handoff_time=layer.handoff_time,
                span=shift_span(count=layer.shift_count, unit=layer.shift_unit),
                people=tuple(member.person for member in members[layer.pk]),
                weekdays=frozenset(layer.weekdays),
                covers_from=layer.covers_from,
                covers_until=layer.covers_until,
                working_days_only=layer.working_days_only,
                swaps=tuple(
                    SwapPlan(
                        id=swap.pk,
                        requester_id=swap.requester_id,
                        partner_id=swap.partner_id,
                        requester_shift=(swap.requester_shift_start, swap.requester_shift_end),
                        partner_shift=(swap.partner_shift_start, swap.partner_shift_end),
                    )
                    for swap in swaps[layer.pk]
                ),
            )
            for layer in sorted(layers, key=lambda layer: (-layer.priority, layer.pk))
        ],
        overrides=[
            OverridePlan(id=o.pk, person=o.person, starts_at=o.starts_at, ends_at=o.ends_at)
            for o in overrides
        ],
        own_days=own_days,
    )


def schedule_plans(*, since: dt.datetime, until: dt.datetime) -> list[SchedulePlan]:
    """Every schedule's plan for the span, in the same few queries however many schedules there are."""
    return _plans(Schedule.objects.order_by("id"), since, until)


def teams_of(*, plans: Iterable[SchedulePlan]) -> dict[int, Team]:
    """The plans' teams, with their escalation contacts, in one query."""
    return Team.objects.select_related("escalation_contact").in_bulk({plan.team_id for plan in plans})


def schedule_plan(*, schedule_id: int, since: dt.datetime, until: dt.datetime) -> SchedulePlan:
    return _plans(Schedule.objects.filter(pk=schedule_id), since, until)[0]


def on_call_for_teams(*, team_ids: Iterable[int], at: dt.datetime) -> dict[int, OnCall]:
    """Who is on call for each team at `at`, in six queries whatever the number of teams: the
    first of a team's schedules (oldest first) that has someone on call, else its first schedule's
    gap; a team with no schedule gets an answer with no schedule."""
    team_ids = list(team_ids)
    answers = {team_id: OnCall(None) for team_id in team_ids}
    for plan in _plans(Schedule.objects.filter(team_id__in=team_ids).order_by("id"), at, at):
        current = answers[plan.team_id]
        if current.person is None:
            found = who_is_on_call(plan, at)
            if found.person is not None or current.schedule is None:
                answers[plan.team_id] = found
    return answers


def on_call(*, team_id: int, at: dt.datetime) -> OnCall:
    """Who is on call for the team at `at` (person None: nobody, a gap)."""
    return on_call_for_teams(team_ids=[team_id], at=at)[team_id]


def schedule_shifts(*, schedule_id: int, since: dt.datetime, until: dt.datetime) -> list[Shift]:
    return shifts_between(schedule_plan(schedule_id=schedule_id, since=since, until=until), since, until)


def person_shifts(*, person_id: int, since: dt.datetime, until: dt.datetime) -> list[tuple[Schedule, Shift]]:
    """A person's shifts in every schedule where they may be on call."""
    schedules = Schedule.objects.filter(
        Q(layers__members__person_id=person_id)
        | Q(overrides__person_id=person_id, overrides__ends_at__gt=since)
    ).distinct()
    return [
        (plan, shift)
        for plan in _plans(schedules, since, until)
        for shift in shifts_between(plan, since, until)
        if shift.person is not None and shift.person.pk == person_id
    ]


def feed_find(*, token_hash: str) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(token_hash=token_hash).select_related("schedule", "person").first()
