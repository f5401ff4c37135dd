"""Hand-offs: a person on call is told when their shift starts, with what is open for their team,
and when it ends, with who comes next; once each, by beat's sweep every minute. A start or an end
more than GRACE ago (beat was down longer) is not told any more: it would only mislead."""

import datetime as dt

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notifications.services import Message, notify_all
from notifications.wording import LocalTime
from oncall import selectors
from oncall.models import Notice, NoticeKind
from oncall.notices import notices_claim
from oncall.open_work import open_work
from oncall.rotation import SchedulePlan, Span, shifts_between, spans_by_person

GRACE = dt.timedelta(hours=1)
# Loaded around now, so that a weekly shift starting or ending now is seen whole.
LOOK_BACK, LOOK_AHEAD = dt.timedelta(days=2), dt.timedelta(days=8)


def hand_offs_tell(*, now: dt.datetime) -> int:
    """Tells each person whose shift started or ended within GRACE before `now` and who was not told
    yet; returns how many were told. Queries do not grow with the schedules."""
    plans = {
        plan.id: plan for plan in selectors.schedule_plans(since=now - LOOK_BACK, until=now + LOOK_AHEAD)
    }
    teams = selectors.teams_of(plans=plans.values())
    candidates, after = [], {}
    for plan in plans.values():
        spans = spans_by_person(shifts_between(plan, now - LOOK_BACK, now + LOOK_AHEAD))
        for span, following in zip(spans, [*spans[1:], None], strict=True):
            if span.person is None:
                continue
            if now - GRACE < span.starts_at <= now:
                candidates.append(_notice(plan, span, NoticeKind.SHIFT_START, now))
            if now - GRACE < span.ends_at <= now:
                candidates.append(_notice(plan, span, NoticeKind.SHIFT_END, now))
                after[id(candidates[-1])] = following.person if following else None
    with transaction.atomic():
        fresh = notices_claim(candidates=candidates)
        starting = {
            plans[notice.schedule_id].team_id for notice in fresh if notice.kind == NoticeKind.SHIFT_START
        }
        work = open_work(team_ids=starting) if starting else {}
        notify_all(
            [
                _starts(notice, plans[notice.schedule_id], teams, work)
                if notice.kind == NoticeKind.SHIFT_START
                else _ends(notice, plans[notice.schedule_id], after[id(notice)])
                for notice in fresh
            ]
        )
    return len(fresh)


def _notice(plan: SchedulePlan, span: Span, kind: str, now: dt.datetime) -> Notice:
    return Notice(
        schedule_id=plan.id,
        kind=kind,
        person=span.person,
        starts_at=span.starts_at,
        ends_at=span.ends_at,
        told=span.person,
        created_at=now,
    )


def _starts(notice: Notice, plan: SchedulePlan, teams: dict, work: dict) -> Message:
    team = teams[plan.team_id].name
    lines = [
        format_lazy(
            _("You are on call for {team} in “{schedule}” from {start} to {end}."),
            team=team,
            schedule=plan.name,
            start=LocalTime(notice.starts_at),
            end=LocalTime(notice.ends_at),
        )
    ]
    if work.get(plan.team_id):
        lines += [
            format_lazy(_("Open for {team} now:"), team=team),
            *(format_lazy("• {}", line) for line in work[plan.team_id]),
        ]
    else:
        lines.append(format_lazy(_("Nothing is open for {team} now."), team=team))
    return Message(
        recipients=[notice.person],
        kind="oncall.shift",
        title=format_lazy(_("Your on-call shift for “{schedule}” starts now"), schedule=plan.name),
        body=format_lazy("\n".join(["{}"] * len(lines)), *lines),
        url=f"/oncall/{plan.id}/",
    )


def _ends(notice: Notice, plan: SchedulePlan, following) -> Message:
    next_one = (
        format_lazy(_("{person} is on call now."), person=following)
        if following is not None
        else _("Nobody is on call after you.")
    )
    return Message(
        recipients=[notice.person],
        kind="oncall.shift",
        title=format_lazy(_("Your on-call shift for “{schedule}” has ended"), schedule=plan.name),
        body=next_one,
        url=f"/oncall/{plan.id}/",
    )
