"""The review's "steps: on time?" as a plan-versus-actual Gantt. Each tier's window, then its steps:
the planned window (its tier's start to its due time), over it what happened (opened to done,
skipped, or still open), the part after the due time in red, and the escalations it reached. The
axis is plan time after declaring ("+6 h"), so a drill run at 60× reads like the plan it rehearsed."""

import datetime as dt
from itertools import groupby

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.gantt import Chart, Mark, Row, Span, gantt
from incidents.models import Incident, TaskState
from incidents.telling import plan_time
from playbooks.schedule import escalation_times
from playbooks.templatetags.playbooks import span as length_text
from playbooks.timeline_chart import ESCALATION_WHO, moment_text, plan_offset_text, tier_label, tier_row
from reviews.selectors import StepRecord

LEGEND = {
    "planned": gettext_lazy("Planned: from the tier's start to the due time"),
    "actual": gettext_lazy("Actual: from opening to done"),
    "skipped": gettext_lazy("Skipped"),
    "late": gettext_lazy("Late: after the due time (faded: never done)"),
    **{f"escalation-{level}": who for level, who in ESCALATION_WHO.items()},
}


class _Words:
    """How the tooltips write a moment and a length: a real incident's moments in the reader's
    time; a drill's that ran faster as plan time after declaring ("+6 h"); lengths in plan time."""

    def __init__(self, incident: Incident):
        self.incident = incident

    def moment(self, at: dt.datetime) -> str:
        if self.incident.clock_rate == 1:
            return moment_text(at)
        return f"+{self.length(at - self.incident.declared_at)}"

    def length(self, real: dt.timedelta) -> str:
        return length_text(plan_time(self.incident, real))


def plan_versus_actual(*, incident: Incident, steps: list[StepRecord], now: dt.datetime) -> Chart:
    """`steps` as on_time_record reads them. What is still open runs to the axis' end, which is at
    least the incident's resolution (or `now`, while it is not resolved)."""
    words = _Words(incident)
    ends = incident.resolved_at or now
    tiers = [(key, list(tier_steps)) for key, tier_steps in groupby(steps, key=lambda step: step.tier)]
    # A tier starts when its steps open (together, by the clock or by hand); the next one ends it.
    starts = [min((s.opened_at for s in group if s.opened_at), default=None) for _key, group in tiers]
    rows = []
    for index, ((key, tier_steps), tier_start) in enumerate(zip(tiers, starts, strict=True)):
        name = tier_steps[0].tier_name
        if tier_start is None:
            rows.append(Row(label=tier_label(key, name), kind="tier", note=_("Never started")))
        else:
            tier_end = min((at for at in starts if at and at > tier_start), default=ends)
            window = {"starts": tier_start, "ends": tier_end, "moment": words.moment}
            rows.append(tier_row(index=index, key=key, name=name, **window))
        rows += [_step_row(step, words) for step in tier_steps]
    return gantt(
        rows=rows,
        start=incident.declared_at,
        tick_label=plan_offset_text,
        clock_rate=incident.clock_rate,
        end=ends,
    )


def _step_row(step: StepRecord, words: _Words) -> Row:
    place = step.tier if step.order is None else f"{step.tier}.{step.order}"  # added by hand: no order
    label = f"{place} {step.title}"
    if step.opened_at is None:
        return Row(label=label, note=_("Not started: its tier never began"))
    opened, due, finished = step.opened_at, step.due_at, step.finished_at
    if step.state == TaskState.SKIPPED:
        kind, story = "skipped", _("Skipped %(at)s") % {"at": words.moment(finished)}
    elif finished is not None:
        kind, story = "actual", _("Done %(at)s") % {"at": words.moment(finished)}
    else:
        kind, story = "actual", _("Not done: still open")
    if due is None:
        return Row(label=label, spans=[Span(opened, finished, kind, story, inset=True)])
    planned = _("Planned: from %(opens)s to the due time, %(due)s") % {
        "opens": words.moment(opened),
        "due": words.moment(due),
    }
    spans = [Span(opened, due, "planned", planned)]
    if finished is not None and finished <= due:
        spans.append(Span(opened, finished, kind, _("%(story)s, on time") % {"story": story}, inset=True))
    else:
        if finished is not None:
            story = _("%(story)s, %(late)s late") % {"story": story, "late": words.length(finished - due)}
        spans += [Span(opened, due, kind, story, inset=True), Span(due, finished, "late", story, inset=True)]
    escalations = escalation_times(
        due_at=due, escalate_after=step.escalate_after, clock_rate=words.incident.clock_rate
    )
    marks = [
        Mark(at, f"escalation-{level}", f"{ESCALATION_WHO[level]}: {words.moment(at)}")
        for level, at in enumerate(escalations[: step.escalation_level], start=1)
    ]
    return Row(label=label, spans=spans, marks=marks)


def legend(chart: Chart) -> list[tuple[str, str]]:
    """What each colour drawn means; only the colours the chart draws."""
    drawn = {placed.kind for row in chart.rows for placed in (*row.spans, *row.marks)}
    return [(kind, str(words)) for kind, words in LEGEND.items() if kind in drawn]
