"""What is open for a team when its on-call person's shift starts (registered with oncall, which
sits below incidents and cannot ask itself): the tasks of live incidents that the team is
Responsible or Accountable for and nobody has finished, each with its incident and due time."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents.models import Task, TaskAssignment, TaskState
from incidents.transitions import LIVE_STATUSES
from notifications.wording import LocalTime
from playbooks.models import RaciRole


def open_work_for_teams(*, team_ids: set[int]) -> dict[int, list]:
    """{team id: lines, lazy (each reader's language and time zone), live incidents first by due time}."""
    rows = (
        TaskAssignment.objects.filter(
            team_id__in=team_ids,
            role__in=[RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE],
            task__state__in=[TaskState.OPEN, TaskState.ACKNOWLEDGED],
            task__incident__status__in=LIVE_STATUSES,
        )
        .select_related("task__incident")
        .order_by("task__due_at", "task_id")
    )
    lines: dict[int, list] = {}
    seen = set()
    for assignment in rows:
        if (assignment.team_id, assignment.task_id) in seen:
            continue  # Responsible and Accountable both: one line
        seen.add((assignment.team_id, assignment.task_id))
        lines.setdefault(assignment.team_id, []).append(_line(assignment.task))
    return lines


def _line(task: Task):
    state = _("already acknowledged") if task.state == TaskState.ACKNOWLEDGED else _("not acknowledged yet")
    return format_lazy(
        _("{incident}: “{task}”, due {due} ({state})"),
        incident=task.incident.reader_title,
        task=task.title,
        due=LocalTime(task.due_at),
        state=state,
    )
