"""The timeline preview as a Gantt: each tier's window, each step from opening to due, and its
three escalations, on an axis in plan time ("+6 h" after declaring). Its tier rows, axis labels
and times serve the review's plan-versus-actual chart too (reviews/plan_chart.py)."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.gantt import Chart, Mark, Row, Span, gantt
from playbooks.selectors import Preview

ESCALATION_WHO = {
    1: gettext_lazy("Escalation 1 (R and A)"),
    2: gettext_lazy("Escalation 2 (A and commander)"),
    3: gettext_lazy("Escalation 3 (executives)"),
}


def moment_text(moment: dt.datetime) -> str:
    """A moment in the reader's time zone, as every chart's tooltips write it."""
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def plan_offset_text(offset: dt.timedelta, step: dt.timedelta) -> str:
    """ "+30 min", "+6 h", "+2 d": how long after declaring, in the unit of the axis' step."""
    if step >= dt.timedelta(days=1):
        return _("+%(days)g d") % {"days": round(offset / dt.timedelta(days=1), 1)}
    if step >= dt.timedelta(hours=1):
        return _("+%(hours)g h") % {"hours": round(offset / dt.timedelta(hours=1), 1)}
    return _("+%(minutes)d min") % {"minutes": round(offset / dt.timedelta(minutes=1))}


def tier_row(
    *,
    index: int,
    key: str,
    name: str,
    starts: dt.datetime,
    ends: dt.datetime | None,
    moment: Callable[[dt.datetime], str] = moment_text,
) -> Row:
    """The `index`th tier's window as a row of its own; `moment` writes its times in the tooltip."""
    if ends is None:
        title = _("%(tier)s starts %(starts)s, runs until the incident is resolved") % {
            "tier": key,
            "starts": moment(starts),
        }
    else:
        title = _("%(tier)s from %(starts)s to %(ends)s") % {
            "tier": key,
            "starts": moment(starts),
            "ends": moment(ends),
        }
    span = Span(starts, ends, kind=f"tier-{index % 3 + 1}", title=title)
    return Row(label=tier_label(key, name), spans=[span], kind="tier")


def tier_label(key: str, name: str) -> str:
    return f"{key} · {name}"


def timeline_chart(preview: Preview) -> Chart:
    rows = [
        tier_row(index=index, key=tier.key, name=tier.name, starts=starts, ends=ends)
        for index, (tier, starts, ends) in enumerate(preview.tiers)
    ]
    for row in preview.steps:
        step = row.step
        window = _("Opens %(opens)s, due %(due)s") % {
            "opens": moment_text(row.opens_at),
            "due": moment_text(row.due_at),
        }
        marks = [
            Mark(at, kind=f"escalation-{level}", title=f"{ESCALATION_WHO[level]}: {moment_text(at)}")
            for level, at in enumerate(row.escalations, start=1)
        ]
        label = f"{step.tier.key}.{step.order} {step.title}"
        rows.append(Row(label=label, spans=[Span(row.opens_at, row.due_at, "work", window)], marks=marks))
    return gantt(
        rows=rows,
        start=preview.declared_at,
        tick_label=plan_offset_text,
        clock_rate=preview.clock_rate,
    )


def legend() -> list[tuple[str, str]]:
    return [
        ("work", _("From opening to due")),
        *((f"escalation-{n}", who) for n, who in ESCALATION_WHO.items()),
    ]
