"""How the reports write what they show, in the reader's language and time zone (the active
ones): shared by the page's template tags and the PDF, so both say the same."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incidents.models import Incident, Task, TaskState
from incidents.telling import plan_time
from playbooks.models import Tier
from playbooks.templatetags.playbooks import span
from playbooks.timeline_chart import moment_text, tier_label
from reports.incident_report import IncidentReport
from reports.register_report import RegisterReport
from reviews.models import Review
from risks.models import in_current_language


def now_text(moment: dt.datetime) -> str:
    """A moment with the reader's time zone named: a report is read away from the screen."""
    return f"{moment_text(moment)} ({timezone.get_current_timezone_name()})"


def incident_subtitle(report: IncidentReport) -> str:
    kind = _("Drill report") if report.incident.drill else _("Executive incident report")
    return f"{kind} · {_('as of')} {now_text(report.now)}"


def _maybe(moment: dt.datetime | None) -> str:
    return moment_text(moment) if moment else _("Not yet")


def incident_facts(report: IncidentReport) -> list[list[str]]:
    incident = report.incident
    facts = [
        [_("Severity"), f"SEV{incident.severity}"],
        [_("Status"), incident.get_status_display()],
        [_("Declared"), moment_text(incident.declared_at)],
        [_("Current tier"), tier_label(incident.current_tier.key, incident.current_tier.name)],
        [_("Resolved"), _maybe(incident.resolved_at)],
        *([label, str(person) if person else _("Nobody yet")] for label, person in report.roles),
        [
            _("Linked risks"),
            "; ".join(f"{risk.ref} {risk.title}" for risk in incident.risks.all()) or _("None"),
        ],
    ]
    if incident.drill:
        facts.insert(0, [_("Drill"), _("An exercise: clock rate %(rate)s×") % {"rate": incident.clock_rate}])
    if incident.resolution_summary:
        facts.append([_("Resolution summary"), incident.resolution_summary])
    return facts


def tier_heading(tier: Tier) -> str:
    ends = span(tier.ends_after) if tier.ends_after is not None else _("open-ended")
    return f"{tier_label(tier.key, tier.name)} ({span(tier.starts_after)} – {ends})"


def task_header() -> list[str]:
    return [_("Task"), _("State"), _("Due"), _("Acknowledged"), _("Done or skipped")]


def _by(person, moment: dt.datetime | None) -> str:
    if moment is None:
        return _("Not yet")
    return f"{moment_text(moment)} · {person or _('system')}"


def lateness(task: Task, *, incident: Incident, now: dt.datetime) -> str:
    """ "2 h late" (plan time, so a drill reads like its plan), or "" when on time or not due."""
    if task.due_at is None or task.state == TaskState.SKIPPED:
        return ""
    ends = task.finished_at or now
    if ends <= task.due_at:
        return ""
    return _("%(length)s late") % {"length": span(plan_time(incident, ends - task.due_at))}


def task_row(task: Task, *, incident: Incident, now: dt.datetime) -> list[str]:
    due = moment_text(task.due_at) if task.due_at else _("No due time")
    if late := lateness(task, incident=incident, now=now):
        due = f"{due}\n{late}"
    return [
        task.title,
        task.get_state_display(),
        due,
        _by(task.acknowledged_by, task.acknowledged_at),
        _by(task.finished_by, task.finished_at),
    ]


def review_parts(review: Review) -> list[tuple[str, str]]:
    parts = [
        (_("Summary"), review.summary),
        (_("Root cause"), review.root_cause),
        (_("What worked"), review.what_worked),
        (_("What did not work"), review.what_did_not),
        (_("Why it was waived"), review.waiver_reason),
    ]
    return [(label, text) for label, text in parts if text]


def register_subtitle(report: RegisterReport) -> str:
    return _("Open risks on matrix v%(version)s · as of %(now)s") % {
        "version": report.matrix.version,
        "now": now_text(report.now),
    }


def scale_label(step: dict) -> str:
    return f"{step['value']} · {in_current_language(step['label_en'], step['label_zh'])}"


def level_label(level: dict) -> str:
    return in_current_language(level["label_en"], level["label_zh"])


def heat_map_note(report: RegisterReport) -> str:
    words = _(
        "Rows: likelihood, most likely at the top; columns: impact. Each cell: its open risks, "
        "its level and the first of them by reference."
    )
    if report.heatmap.not_rated:
        count = report.heatmap.not_rated
        words += " " + ngettext(
            "%(count)d open risk is not rated yet and is not in the map.",
            "%(count)d open risks are not rated yet and are not in the map.",
            count,
        ) % {"count": count}
    return words


def light(color: str) -> str:
    """A level's colour halfway to white, so black text on it reads on paper."""
    red, green, blue = (int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(*((value + 255) // 2 for value in (red, green, blue)))


def risk_header() -> list[str]:
    return [_("Reference"), _("Risk"), _("Category"), _("Residual level"), _("Owner")]


def risk_row(risk) -> list[str]:
    return [risk.ref, risk.title, risk.category.label, risk.get_residual_level_display(), str(risk.owner)]


def kri_header() -> list[str]:
    return [_("Key risk indicator"), _("Band"), _("Latest reading"), _("Measured")]


def kri_row(kri) -> list[str]:
    value = f"{kri.last_value:g} {kri.unit}".strip() if kri.last_value is not None else _("No data yet")
    return [kri.shown_name, kri.get_band_display(), value, _maybe(kri.last_measured_at)]
