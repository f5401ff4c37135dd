"""Warnings ahead of time: in the coming week, each schedule's gaps (nobody on call) and the shifts
of people on call whom nothing can reach (no e-mail, no chat webhook of their own) are told to the
team's escalation contact, once each, in the contact's language and time zone."""

import datetime as dt

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notifications.selectors import unreachable
from notifications.services import Message, notify_all
from notifications.wording import LocalTime
from oncall import selectors
from oncall.models import Notice, NoticeKind
from oncall.notices import notices_claim
from oncall.rotation import SchedulePlan, shifts_between, spans_by_person

LOOK_AHEAD = dt.timedelta(days=7)


def warnings_send(*, now: dt.datetime) -> int:
    """Warns each team's escalation contact of the gaps and unreachable shifts of the coming week not
    warned about yet; returns how many warnings went out. Queries do not grow with the schedules."""
    until = now + LOOK_AHEAD
    plans = {plan.id: plan for plan in selectors.schedule_plans(since=now, until=until)}
    teams = selectors.teams_of(plans=plans.values())
    spans = {plan.id: spans_by_person(shifts_between(plan, now, until)) for plan in plans.values()}
    cannot = unreachable(people={span.person for each in spans.values() for span in each if span.person})
    candidates = [
        Notice(
            schedule_id=plan.id,
            kind=NoticeKind.GAP if span.person is None else NoticeKind.UNREACHABLE,
            person=span.person,
            starts_at=span.starts_at,
            ends_at=span.ends_at,
            told=teams[plan.team_id].escalation_contact,
            created_at=now,
        )
        for plan in plans.values()
        if teams[plan.team_id].escalation_contact is not None
        for span in spans[plan.id]
        if span.person is None or span.person.pk in cannot
    ]
    with transaction.atomic():
        fresh = notices_claim(candidates=candidates)
        notify_all([_warning(notice, plans[notice.schedule_id], teams, until) for notice in fresh])
    return len(fresh)


def _warning(notice: Notice, plan: SchedulePlan, teams: dict, until: dt.datetime) -> Message:
    words = {
        "schedule": plan.name,
        "team": teams[plan.team_id].name,
        "start": LocalTime(notice.starts_at),
        "end": LocalTime(notice.ends_at),
        "person": notice.person,
    }
    if notice.kind == NoticeKind.GAP:
        title = format_lazy(_("Nobody is on call for “{schedule}” from {start}"), **words)
        body = format_lazy(_("Nobody is on call for {team} in “{schedule}” from {start} to {end}."), **words)
    else:
        title = format_lazy(_("{person} cannot be reached while on call for “{schedule}”"), **words)
        body = format_lazy(
            _(
                "{person} is on call for {team} in “{schedule}” from {start} to {end}, but nothing can "
                "reach them (no e-mail address, no chat webhook of their own, or their account is "
                "disabled): nobody could tell them about an incident."
            ),
            **words,
        )
    if notice.ends_at >= until:
        body = format_lazy(
            "{}\n{}", body, _("It may go on after that: schedules are looked at a week ahead.")
        )
    return Message(
        recipients=[notice.told], kind="oncall.warning", title=title, body=body, url=f"/oncall/{plan.id}/"
    )
