"""Writes: schedules, their layers, overrides and swaps, the organisation's calendar days and the
calendar feeds' secrets. Each locks what it changes and writes its audit entry with its `by`."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from core.errors import InvalidTransition
from oncall.models import CalendarDay, CalendarFeed, Layer, LayerMember, Override, Schedule, Swap, SwapStatus
from oncall.rotation import rotation_shift
from oncall.selectors import schedule_plan

SCHEDULE_FIELDS = ["team", "name", "time_zone", "working_calendar"]
LAYER_FIELDS = [
    "name",
    "priority",
    "start_date",
    "handoff_time",
    "shift_count",
    "shift_unit",
    "weekdays",
    "covers_from",
    "covers_until",
    "working_days_only",
]
# What may follow each state of a swap.
SWAP_TRANSITIONS = {
    SwapStatus.PENDING: {SwapStatus.ACCEPTED, SwapStatus.DECLINED, SwapStatus.CANCELLED},
    SwapStatus.ACCEPTED: {SwapStatus.CANCELLED},
    SwapStatus.DECLINED: set(),
    SwapStatus.CANCELLED: set(),
}


def schedule_create(*, by, team, name: str, time_zone: str, working_calendar: str) -> Schedule:
    with transaction.atomic():
        schedule = Schedule(team=team, name=name, time_zone=time_zone, working_calendar=working_calendar)
        schedule.full_clean()
        schedule.save()
        audit_record(schedule, by=by, action=AuditAction.CREATED)
    return schedule


def schedule_update(*, schedule_id: int, by, changes: dict) -> Schedule:
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().get(pk=schedule_id)
        before = audit_values(schedule)
        for name in SCHEDULE_FIELDS:
            if name in changes:
                setattr(schedule, name, changes[name])
        schedule.full_clean()
        schedule.save()
        audit_record(schedule, by=by, action=AuditAction.UPDATED, before=before)
    return schedule


def schedule_delete(*, schedule_id: int, by) -> None:
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().get(pk=schedule_id)
        audit_record(schedule, by=by, action=AuditAction.DELETED)
        schedule.delete()


def _check_layer(layer: Layer, people: list) -> None:
    errors = {}
    if not people:
        errors["people"] = [_("Name at least one person to take turns.")]
    if layer.shift_count < 1:
        errors["shift_count"] = [_("A shift lasts at least one hour, day or week.")]
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in layer.weekdays or []):
        errors["weekdays"] = [_("Weekdays are 0 (Monday) to 6 (Sunday).")]
    if errors:
        raise ValidationError(errors)


def _set_people(layer: Layer, people: list) -> None:
    layer.members.all().delete()
    LayerMember.objects.bulk_create(
        LayerMember(layer=layer, person=person, position=position) for position, person in enumerate(people)
    )


def layer_create(*, by, schedule_id: int, people: list, **fields) -> Layer:
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().get(pk=schedule_id)
        layer = Layer(schedule=schedule, **{name: fields[name] for name in LAYER_FIELDS if name in fields})
        _check_layer(layer, people)
        layer.full_clean(exclude=["schedule"])
        layer.save()
        _set_people(layer, people)
        audit_record(
            layer,
            by=by,
            action=AuditAction.CREATED,
            after={**audit_values(layer), "people": [p.pk for p in people]},
        )
    return layer


def layer_update(*, layer_id: int, by, changes: dict) -> Layer:
    with transaction.atomic():
        layer = Layer.objects.select_for_update().get(pk=layer_id)
        before = audit_values(layer)
        for name in LAYER_FIELDS:
            if name in changes:
                setattr(layer, name, changes[name])
        people = changes.get("people") or [member.person for member in layer.members.select_related("person")]
        _check_layer(layer, people)
        layer.full_clean(exclude=["schedule"])
        layer.save()
        if "people" in changes:
            _set_people(layer, people)
        audit_record(layer, by=by, action=AuditAction.UPDATED, before=before)
    return layer


def layer_delete(*, layer_id: int, by) -> None:
    with transaction.atomic():
        layer = Layer.objects.select_for_update().get(pk=layer_id)
        audit_record(layer, by=by, action=AuditAction.DELETED)
        layer.delete()


def override_create(
    *, by, schedule_id: int, person, starts_at: dt.datetime, ends_at: dt.datetime, reason: str = ""
) -> Override:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("An override ends after it starts.")]})
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().get(pk=schedule_id)
        override = Override.objects.create(
            schedule=schedule,
            person=person,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            created_by=by,
        )
        audit_record(override, by=by, action=AuditAction.CREATED)
    return override


def override_delete(*, override_id: int, by) -> None:
    with transaction.atomic():
        override = Override.objects.select_for_update().get(pk=override_id)
        audit_record(override, by=by, action=AuditAction.DELETED)
        override.delete()


def _shift_of(layer: Layer, person, at: dt.datetime, field: str) -> tuple[dt.datetime, dt.datetime]:
    """The bounds of the rotation's shift holding `at`, which must be `person`'s."""
    plan = schedule_plan(schedule_id=layer.schedule_id, since=at, until=at)
    layer_plan = next(candidate for candidate in plan.layers if candidate.id == layer.pk)
    shift = rotation_shift(layer_plan, plan.tz, at)
    if shift is None or layer_plan.people[shift[0] % len(layer_plan.people)].pk != person.pk:
        raise ValidationError(
            {field: [_("%(person)s has no shift of this layer then.") % {"person": person}]}
        )
    return shift[1], shift[2]


def swap_propose(
    *, by, layer_id: int, requester, partner, requester_shift_at: dt.datetime, partner_shift_at: dt.datetime
) -> Swap:
    """`requester` gives the shift holding `requester_shift_at` to `partner`, and takes theirs
    holding `partner_shift_at`. Nothing changes until the partner accepts."""
    if requester.pk == partner.pk:
        raise ValidationError({"partner": [_("A swap is between two different people.")]})
    with transaction.atomic():
        layer = Layer.objects.select_for_update().get(pk=layer_id)
        mine = _shift_of(layer, requester, requester_shift_at, "requester_shift_at")
        theirs = _shift_of(layer, partner, partner_shift_at, "partner_shift_at")
        swap = Swap.objects.create(
            layer=layer,
            requester=requester,
            partner=partner,
            requester_shift_start=mine[0],
            requester_shift_end=mine[1],
            partner_shift_start=theirs[0],
            partner_shift_end=theirs[1],
        )
        audit_record(swap, by=by, action=AuditAction.CREATED)
    return swap


def swap_decide(*, swap_id: int, by, status: str, now: dt.datetime) -> Swap:
    """Accepted or declined by the partner, cancelled by the requester or the schedule's runners."""
    with transaction.atomic():
        swap = Swap.objects.select_for_update().get(pk=swap_id)
        if status not in SWAP_TRANSITIONS[swap.status]:
            raise InvalidTransition(
                _("This swap is %(status)s: it cannot change now.") % {"status": swap.get_status_display()}
            )
        before = audit_values(swap)
        swap.status, swap.decided_at = status, now
        swap.save(update_fields=["status", "decided_at"])
        audit_record(swap, by=by, action=AuditAction.UPDATED, before=before)
    return swap


def calendar_day_set(*, by, date: dt.date, kind: str, name: str = "") -> CalendarDay:
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(date=date).first()
        if day is None:
            day = CalendarDay(date=date, kind=kind, name=name)
            day.full_clean()
            day.save()
            audit_record(day, by=by, action=AuditAction.CREATED)
            return day
        before = audit_values(day)
        day.kind, day.name = kind, name
        day.full_clean()
        day.save()
        audit_record(day, by=by, action=AuditAction.UPDATED, before=before)
    return day


def calendar_day_delete(*, day_id: int, by) -> None:
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().get(pk=day_id)
        audit_record(day, by=by, action=AuditAction.DELETED)
        day.delete()


def feed_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_reset(*, by, schedule: Schedule | None = None, person=None) -> str:
    """A new secret for the calendar feed of the schedule or the person; the old address stops working."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            schedule=schedule, person=person, defaults={"token_hash": feed_token_digest(token)}
        )
        if created:
            audit_record(feed, by=by, action=AuditAction.CREATED)
            return token
        before = audit_values(feed)
        feed.token_hash = feed_token_digest(token)
        feed.save(update_fields=["token_hash"])
        audit_record(feed, by=by, action=AuditAction.UPDATED, before=before)
    return token
