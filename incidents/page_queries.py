"""Reads that the incident pages need on top of the selectors: the war room, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from incidents import happenings, selectors
from incidents.models import Incident, IncidentRole, RoleHolding, Task, TaskAssignment, TimelineEntry
from people.models import Team, User
from people.selectors import people_active
from playbooks.models import Playbook, PlaybookStatus, RaciRole, Tier
from risks.models import Risk, RiskStatus

TIMELINE_LENGTH = 200
NOBODY = _("nobody (the whole team)")  # a hand-off's side where nobody is on call


def viewer(user) -> User:
    """The signed-in person with their team memberships loaded once, for the per-task permission checks."""
    return User.objects.prefetch_related("memberships").get(pk=user.pk)


def tasks_held(*, user, incident: Incident) -> tuple[tuple[int, str, str], ...]:
    """(task, role, task state) wherever the person, or a team of theirs, is Responsible or
    Accountable on the incident's tasks: what decides their buttons on its board."""
    held = TaskAssignment.objects.filter(
        selectors.involving(user, roles=[RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE]), task__incident=incident
    )
    return tuple(held.order_by("task_id", "role").values_list("task_id", "role", "task__state").distinct())


@dataclass
class TierColumn:
    tier: Tier
    tasks: list[Task] = field(default_factory=list)


@dataclass
class WarRoom:
    incident: Incident
    columns: list[TierColumn]
    tasks_by_id: dict[int, Task]
    risks: list[Risk]
    roles: dict[str, User | None]
    latest_update: TimelineEntry | None


def war_room(*, user, incident_id: int) -> WarRoom:
    """The incident, its tiers as columns of tasks (with RACI), its linked risks, who holds its
    roles and its latest status update; Incident.DoesNotExist if not visible. The same queries
    however many tasks, risks or roles."""
    incidents = selectors.with_next_update_due_at(selectors.incidents_with_tasks(user=user, names=True))
    incident = incidents.prefetch_related(
        Prefetch("risks", queryset=Risk.objects.order_by("pk")),
        Prefetch("role_holdings", queryset=RoleHolding.objects.filter(ended_at=None).select_related("user")),
    ).get(pk=incident_id)
    tiers = list(Tier.objects.filter(playbook_id=incident.playbook_id).order_by("starts_after"))
    columns = {tier.pk: TierColumn(tier=tier) for tier in tiers}
    tasks = list(incident.tasks.all())
    for task in tasks:
        columns[task.tier_id].tasks.append(task)
    roles = dict.fromkeys(IncidentRole.values)
    roles.update({holding.role: holding.user for holding in incident.role_holdings.all()})
    roles[IncidentRole.COMMANDER] = incident.commander
    return WarRoom(
        incident=incident,
        columns=list(columns.values()),
        tasks_by_id={t.pk: t for t in tasks},
        risks=list(incident.risks.all()),
        roles=roles,
        latest_update=selectors.latest_update(incident_id=incident.pk),
    )


@dataclass
class RaciRow:
    role: str
    letter: str
    label: str
    assignments: list[TaskAssignment]


def raci_rows(task: Task) -> list[RaciRow]:
    """The task's parties as the card shows them: R, A, C and I in that order, each with its own."""
    rows = {role: RaciRow(role, role[0].upper(), label, []) for role, label in RaciRole.choices}
    for assignment in task.assignments.all():
        rows[assignment.role].assignments.append(assignment)
    return list(rows.values())


def timeline_newest_first(
    *, incident: Incident, tasks_by_id: dict[int, Task], only_updates: bool = False
) -> list[TimelineEntry]:
    """The latest entries (or status updates only), each with the task it is about (if any)
    attached as `entry.task`."""
    entries = TimelineEntry.objects.filter(incident=incident)
    if only_updates:
        entries = entries.filter(type=happenings.STATUS_UPDATE.timeline)
    entries = list(entries.select_related("actor").order_by("-seq")[:TIMELINE_LENGTH])
    role_entries = [entry for entry in entries if entry.type == happenings.ROLE_ASSIGNED.timeline]
    people = User.objects.in_bulk({entry.data.get("user") for entry in role_entries}) if role_entries else {}
    for entry in entries:
        entry.task = tasks_by_id.get(entry.data.get("task"))
    for entry in role_entries:
        entry.role_label = IncidentRole(entry.data["role"]).label
        entry.role_person = people.get(entry.data.get("user"))
    _on_call_names(entries, tasks_by_id)
    return entries


def _on_call_names(entries: list[TimelineEntry], tasks_by_id: dict[int, Task]) -> None:
    """Names the teams and people of the entries about on call (who was on call when a task opened,
    a hand-off, an escalation that told the on-call person first or the whole team), read in two
    queries for all of them: `entry.team`, `.person`, `.from_name`, `.to_name`, `.tasks`,
    `.on_call_told` [(team, person or None)] and `.teams_told` [team]."""
    about = [entry for entry in entries if {"team", "on_call", "teams"} & entry.data.keys()]
    if not about:
        return
    team_ids, person_ids = set(), set()
    for entry in about:
        data = entry.data
        team_ids |= {
            data.get("team"),
            *data.get("teams", []),
            *(told["team"] for told in data.get("on_call", [])),
        }
        person_ids |= {data.get("person"), data.get("from"), data.get("to")}
        person_ids |= {told["person"] for told in data.get("on_call", [])}
    teams = Team.objects.in_bulk(team_ids - {None})
    people = User.objects.in_bulk(person_ids - {None})
    for entry in about:
        data = entry.data
        entry.team = teams.get(data.get("team"))
        entry.person = people.get(data.get("person"))
        entry.from_name, entry.to_name = (people.get(data.get(key)) or NOBODY for key in ("from", "to"))
        entry.tasks = [tasks_by_id[pk] for pk in data.get("tasks", []) if pk in tasks_by_id]
        entry.on_call_told = [
            (teams.get(told["team"]), people.get(told["person"])) for told in data.get("on_call", [])
        ]
        entry.teams_told = [teams[pk] for pk in data.get("teams", []) if pk in teams]


def open_risks():
    return Risk.objects.filter(status=RiskStatus.OPEN).order_by("pk")


def linkable_risks(*, incident: Incident) -> QuerySet[Risk]:
    """The open risks the incident is not linked to, with what their option shows."""
    return open_risks().exclude(incidents=incident).only("pk", "number", "title")


def published_playbooks() -> QuerySet[Playbook]:
    return Playbook.objects.filter(status=PlaybookStatus.PUBLISHED).order_by("name")


def active_people() -> QuerySet[User]:
    return people_active().order_by("first_name", "last_name", "username")


def teams() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def my_tasks(*, user) -> QuerySet[Task]:
    """What is the person's to do now, with each incident's tier and commander."""
    return selectors.my_tasks(user=user).select_related("incident__current_tier", "incident__commander")
