"""Incident pages: the list, the declare form, the war room (and its live fragments), my tasks.

Each action is a POST form that checks permission and calls one service. An illegal move (409)
or bad input (400) re-renders the page with the message and that status; nothing is written.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import last_entry
from core import shared_parts
from core.errors import InvalidTransition
from incidents import page_queries, permissions, selectors, services, status_pages
from incidents.forms import SEVERITIES, AddTaskForm, DeclareForm, ReassignForm, StatusUpdateForm
from incidents.models import Incident, IncidentRole, IncidentStatus, Task
from incidents.transitions import INCIDENT_TRANSITIONS, LIVE_STATUSES, TASK_TRANSITIONS, UNFINISHED_STATES
from playbooks.models import RaciRole

PAGE_SIZE = 50


@login_required
def incident_list(request):
    status = request.GET.get("status", "")
    status = status if status in IncidentStatus.values else ""
    incidents = selectors.incident_list(user=request.user, status=status or None)
    return render(
        request,
        "incidents/list.html",
        {
            "page": Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page")),
            "statuses": IncidentStatus.choices,
            "status": status,
            "live_statuses": LIVE_STATUSES,
        },
    )


@login_required
def incident_declare(request):
    form = DeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_declare(declared_by=request.user, **form.declaration())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("incident-detail", incident_id=incident.pk)
    status = 400 if form.errors else 200
    return render(request, "incidents/declare.html", {"form": form}, status=status)


# A war room's parts are kept by what they show (core/shared_parts.py), at most this long.
PART_SECONDS = 60


def _war_room_context(person, incident_id: int, *, only_updates: bool) -> tuple[dict, dict]:
    """What the parts show, and the incident's tasks by id (which the timeline names)."""
    room = page_queries.war_room(user=person, incident_id=incident_id)
    incident = room.incident
    for task in room.tasks_by_id.values():
        task.raci = page_queries.raci_rows(task)
        task.moves = TASK_TRANSITIONS[task.state]
        task.may_work = permissions.may_work_on(person, task)
        task.may_reassign = task.state in UNFINISHED_STATES and permissions.may_reassign(person, task)
    current = incident.current_tier.starts_after
    may_command = permissions.may_command(person, incident)
    context = {
        "incident": incident,
        "columns": room.columns,
        "risks": room.risks,
        "role_rows": [(role, IncidentRole(role).label, person) for role, person in room.roles.items()],
        "latest_update": room.latest_update,
        "only_updates": only_updates,
        "unfinished_tasks": sum(
            task.state in UNFINISHED_STATES for column in room.columns for task in column.tasks
        ),
        "may_command": may_command,
        "incident_moves": INCIDENT_TRANSITIONS[incident.status],
        "has_next_tier": any(column.tier.starts_after > current for column in room.columns),
        "is_live": incident.status in LIVE_STATUSES,
    }
    if may_command:
        context["severities"] = SEVERITIES
        context["role_choices"] = IncidentRole.choices
    return context, room.tasks_by_id


@dataclass(frozen=True)
class WarRoomParts:
    incident: Incident
    parts: dict[str, str]  # part name → its HTML
    only_updates: bool  # the timeline shows status updates only
    may_reassign: Callable[[], bool]  # some task of the incident
    audited: int | None  # the last audit entry


def _war_room_parts(request, incident_id: int, names: list[str], *, failed_task=None) -> WarRoomParts:
    """The parts named, each kept for everyone who sees the incident as of the same timeline entry
    with the same rights, or rendered now (not kept when they show one person's failed action).
    What of the reader a part shows is read only for the parts asked for: a live event's timeline
    fragment asks neither whether they follow the incident nor which tasks they hold."""
    incident = _visible_incident(request, incident_id)
    only_updates = request.GET.get("only") == "updates"
    may_command = permissions.may_command(request.user, incident)

    @functools.cache
    def follow() -> dict:
        return status_pages.follow_context(request.user, incident)

    @functools.cache
    def held() -> tuple:
        return page_queries.tasks_held(user=request.user, incident=incident)

    # As of its last timeline entry (every change to the incident writes one) and the last audit
    # entry (a linked risk rated again, a person or a team renamed); each part for what of the
    # reader it shows: the header their command and following, the board their command and the
    # tasks they hold, the timeline nothing of them (everyone who sees the incident shares it).
    audited = last_entry()
    shown = (incident.pk, incident.last_seq, audited)
    stamps = {
        "header": lambda: (*shown, may_command, *follow().values()),
        "board": lambda: (*shown, may_command, held()),
        "timeline": lambda: (*shown, only_updates),
    }

    @functools.cache
    def room():  # read once for all the parts rendered now
        person = page_queries.viewer(request.user)  # with their teams, for each task's rights
        return _war_room_context(person, incident_id, only_updates=only_updates)

    def context(name: str) -> dict:
        shown, tasks_by_id = room()
        context = shown | {"failed_task": failed_task}
        if name == "header":
            context |= follow()
        if name == "timeline":
            context["timeline"] = page_queries.timeline_newest_first(
                incident=shown["incident"], tasks_by_id=tasks_by_id, only_updates=only_updates
            )
        return context

    parts = {
        name: shared_parts.render_part(
            request,
            f"incidents/war_room/{name}.html",
            None if failed_task else stamps[name](),
            functools.partial(context, name),
            seconds=PART_SECONDS,
        )
        for name in names
    }

    def may_reassign() -> bool:
        return may_command or any(
            role == RaciRole.ACCOUNTABLE and state in UNFINISHED_STATES for _, role, state in held()
        )

    return WarRoomParts(incident, parts, only_updates, may_reassign, audited)


def _war_room(request, incident_id: int, *, status: int = 200, error: str = "", failed_task=None):
    room = _war_room_parts(request, incident_id, ["header", "board", "timeline"], failed_task=failed_task)
    context = {
        "incident": room.incident,
        "parts": room.parts,
        "error": error,
        "only_updates": room.only_updates,
    }
    if room.may_reassign():
        # The forms' choices, once for the page (its script fills each form when opened): the
        # same for every war room as of the last audit entry (people and teams write one).
        context["parties"] = shared_parts.render_part(
            request, "incidents/war_room/parties.html", (room.audited,), _parties, seconds=PART_SECONDS
        )
    return render(request, "incidents/war_room.html", context, status=status)


def _parties() -> dict:
    return {"parties": {"teams": list(page_queries.teams()), "people": list(page_queries.active_people())}}


@login_required
def incident_detail(request, incident_id: int):
    return _war_room(request, incident_id)


@login_required
def incident_fragment(request, incident_id: str, part: str):
    """One section of the war room alone (header, board or timeline), swapped in on a live event."""
    return HttpResponse(_war_room_parts(request, int(incident_id), [part]).parts[part])


@login_required
def incident_linkable_risks(request, incident_id: int):
    """The options of the commander's "Link a risk": the open risks not linked yet. Asked for when
    the form is opened, not with every war room: a register of 10,000 risks made it 850 KB."""
    incident = _visible_incident(request, incident_id)
    if not permissions.may_command(request.user, incident):
        raise PermissionDenied
    risks = page_queries.linkable_risks(incident=incident)
    # Formatted here rather than by a template loop, ten times faster for thousands of options.
    return HttpResponse(format_html_join("", '<option value="{}">{}</option>', ((r.pk, r) for r in risks)))


def _visible_task(request, task_id: int) -> Task:
    try:
        return selectors.tasks_visible_to(request.user).select_related("incident").get(pk=task_id)
    except Task.DoesNotExist as error:
        raise Http404 from error


def _visible_incident(request, incident_id: int) -> Incident:
    try:
        return selectors.incidents_visible_to(request.user).get(pk=incident_id)
    except Incident.DoesNotExist as error:
        raise Http404 from error


def _outcome(request, incident_id: int, call, *, task_id: int | None = None):
    """Runs one service call; back to where the person was, or the page again with the error."""
    from_my_tasks = request.POST.get("from") == "my-tasks"
    try:
        call()
    except InvalidTransition as error:
        status, message = 409, error.detail
    except ValidationError as error:
        status, message = 400, " ".join(error.messages)
    else:
        if from_my_tasks:
            return redirect("my-tasks")
        anchor = f"#task-{task_id}" if task_id else ""
        return redirect(reverse("incident-detail", args=[incident_id]) + anchor)
    if from_my_tasks:
        return _my_tasks(request, status=status, error=message, failed_task=task_id)
    return _war_room(request, incident_id, status=status, error=message, failed_task=task_id)


TASK_ACTIONS = {"acknowledge", "complete", "skip", "reassign"}


@login_required
@require_POST
def task_action(request, task_id: int, action: str):
    if action not in TASK_ACTIONS:
        raise Http404
    task = _visible_task(request, task_id)
    person = page_queries.viewer(request.user)
    allowed = permissions.may_reassign if action == "reassign" else permissions.may_work_on
    if not allowed(person, task):
        raise PermissionDenied
    by = request.user

    def call():
        if action == "acknowledge":
            services.task_acknowledge(task_id=task.pk, by=by)
        elif action == "complete":
            services.task_complete(task_id=task.pk, by=by, note=request.POST.get("note", ""))
        elif action == "skip":
            services.task_skip(task_id=task.pk, by=by, reason=request.POST.get("reason", ""))
        else:
            form = ReassignForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors)
            services.task_reassign(task_id=task.pk, by=by, **form.reassignment())

    return _outcome(request, task.incident_id, call, task_id=task.pk)


INCIDENT_ACTIONS = {
    "advance-tier",
    "stabilize",
    "resolve",
    "close",
    "reopen",
    "update",
    "severity",
    "title",
    "commander",
    "role",
    "link-risk",
    "unlink-risk",
    "add-task",
}


def _valid(form_class, data):
    form = form_class(data)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form


def _person(value):
    """An active person by id from a form; None for blank."""
    if not value:
        return None
    person = page_queries.active_people().filter(pk=value).first() if str(value).isdigit() else None
    if person is None:
        raise ValidationError({"user": [_("Choose an active person from the list.")]})
    return person


def _risk(value):
    risk = page_queries.open_risks().filter(pk=value).first() if str(value).isdigit() else None
    if risk is None:
        raise ValidationError({"risk": [_("Choose a risk from the register.")]})
    return risk


@login_required
@require_POST
def incident_action(request, incident_id: int, action: str):
    if action not in INCIDENT_ACTIONS:
        raise Http404
    incident = _visible_incident(request, incident_id)
    if action != "update" and not permissions.may_command(request.user, incident):
        raise PermissionDenied
    by, pk, post = request.user, incident.pk, request.POST
    calls = {
        "advance-tier": lambda: services.incident_advance_tier(incident_id=pk, by=by),
        "stabilize": lambda: services.incident_stabilize(incident_id=pk, by=by),
        # The war room always asks how the incident was resolved.
        "resolve": lambda: services.incident_resolve(
            incident_id=pk,
            by=by,
            summary=post.get("summary", ""),
            open_tasks=post.get("open_tasks", "keep"),
            skip_reason=post.get("skip_reason", ""),
        ),
        "close": lambda: services.incident_close(incident_id=pk, by=by),
        "reopen": lambda: services.incident_reopen(incident_id=pk, by=by, reason=post.get("reason", "")),
        "update": lambda: services.incident_post_update(
            incident_id=pk, by=by, **_valid(StatusUpdateForm, post).update()
        ),
        "severity": lambda: services.incident_change_severity(
            incident_id=pk,
            by=by,
            severity=int(post["severity"]) if post.get("severity", "").isdigit() else None,
            reason=post.get("reason", ""),
        ),
        "title": lambda: services.incident_change_title(
            incident_id=pk, by=by, title=post.get("title", ""), reason=post.get("reason", "")
        ),
        "commander": lambda: services.incident_assign_role(
            incident_id=pk,
            by=by,
            role=IncidentRole.COMMANDER,
            user=_person(post.get("user")),
            reason=post.get("reason", ""),
        ),
        "role": lambda: services.incident_assign_role(
            incident_id=pk,
            by=by,
            role=post.get("role", ""),
            user=_person(post.get("user")),
            reason=post.get("reason", ""),
        ),
        "link-risk": lambda: services.incident_link_risk(incident_id=pk, by=by, risk=_risk(post.get("risk"))),
        "unlink-risk": lambda: services.incident_unlink_risk(
            incident_id=pk, by=by, risk=_risk(post.get("risk"))
        ),
        "add-task": lambda: services.task_add(incident_id=pk, by=by, **_valid(AddTaskForm, post).task()),
    }
    return _outcome(request, pk, calls[action])


def _my_tasks(request, *, status: int = 200, error: str = "", failed_task=None):
    person = page_queries.viewer(request.user)
    tasks = list(page_queries.my_tasks(user=person))
    for task in tasks:
        task.moves = TASK_TRANSITIONS[task.state]
        task.may_work = permissions.may_work_on(person, task)
    return render(
        request,
        "incidents/my_tasks.html",
        {"tasks": tasks, "error": error, "failed_task": failed_task},
        status=status,
    )


@login_required
def my_tasks(request):
    return _my_tasks(request)
