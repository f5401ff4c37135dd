"""Reads that the incident pages need on top of the selectors: the war room, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from incidents import selectors
from incidents.models import Incident, Task, TaskAssignment, TimelineEntry
from people.models import Team, User
from people.selectors import people_active
from playbooks.models import Playbook, PlaybookStatus, RaciRole, Tier

TIMELINE_LENGTH = 200


def viewer(user) -> User:
    """The signed-in person with their team memberships loaded once, for the per-task permission checks."""
    return User.objects.prefetch_related("memberships").get(pk=user.pk)


@dataclass
class TierColumn:
    tier: Tier
    tasks: list[Task] = field(default_factory=list)


@dataclass
class WarRoom:
    incident: Incident
    columns: list[TierColumn]
    tasks_by_id: dict[int, Task]


def war_room(*, user, incident_id: int) -> WarRoom:
    """The incident, its tiers as columns of tasks (with RACI); Incident.DoesNotExist if not visible."""
    incident = selectors.incidents_with_tasks(user=user, names=True).get(pk=incident_id)
    tiers = list(Tier.objects.filter(playbook_id=incident.playbook_id).order_by("starts_after"))
    columns = {tier.pk: TierColumn(tier=tier) for tier in tiers}
    tasks = list(incident.tasks.all())
    for task in tasks:
        columns[task.tier_id].tasks.append(task)
    return WarRoom(incident=incident, columns=list(columns.values()), tasks_by_id={t.pk: t for t in tasks})


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


def timeline_newest_first(*, incident: Incident, tasks_by_id: dict[int, Task]) -> list[TimelineEntry]:
    """The latest entries, each with the task it is about (if any) attached as `entry.task`."""
    entries = list(
        TimelineEntry.objects.filter(incident=incident)
        .select_related("actor")
        .order_by("-seq")[:TIMELINE_LENGTH]
    )
    for entry in entries:
        entry.task = tasks_by_id.get(entry.data.get("task"))
    return entries


def published_playbooks() -> QuerySet[Playbook]:
    return Playbook.objects.filter(status=PlaybookStatus.PUBLISHED).order_by("name")


def active_people() -> QuerySet[User]:
    return people_active().order_by("first_name", "last_name", "username")


def teams() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def my_tasks(*, user) -> QuerySet[Task]:
    """What is the person's to do now, with each incident's tier and commander."""
    return selectors.my_tasks(user=user).select_related("incident__current_tier", "incident__commander")
