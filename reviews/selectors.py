"""Reads of reviews, scoped to what the person may see."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce

from incidents.models import Incident, TaskState, TimelineEntry
from incidents.selectors import incidents_visible_to
from reviews.models import (
    FollowUpAction,
    FollowUpState,
    PinnedEntry,
    RatingDecision,
    Review,
    ReviewStatus,
    RiskRating,
)


def review_queryset() -> QuerySet[Review]:
    return Review.objects.select_related("incident__playbook", "completed_by").prefetch_related(
        Prefetch("pinned", queryset=PinnedEntry.objects.select_related("entry__actor")),
        "ratings__risk__matrix",
        "proposals__draft",
        "follow_ups__owner",
    )


def review_get(*, user, incident_id: int) -> Review:
    """The review of an incident the person may see; Review.DoesNotExist otherwise."""
    return review_queryset().get(incident__in=incidents_visible_to(user), incident_id=incident_id)


@dataclass(frozen=True)
class StepRecord:
    task_id: int
    tier: str
    title: str
    state: str
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    escalation_level: int
    tier_name: str
    order: int | None  # the step's place in its tier; None for a task added during the incident
    opened_at: dt.datetime | None  # when its tier started (or it was added); None if it never did
    escalate_after: dt.timedelta | None  # plan time between its escalation levels

    @property
    def on_time(self) -> bool | None:
        """True if done by its due time, False if done late or never, None if it had no due time."""
        if self.due_at is None:
            return None
        return self.state == TaskState.DONE and self.finished_at <= self.due_at


def on_time_record(*, incident: Incident) -> list[StepRecord]:
    """Every step of the incident: due against finished, and the escalation level it reached."""
    rows = (
        incident.tasks.order_by("tier__starts_after", "step__order", "pk")
        .annotate(delay=Coalesce("escalate_after", "step__escalate_after"))
        .values_list(
            "pk",
            "tier__key",
            "title",
            "state",
            "due_at",
            "finished_at",
            "escalation_level",
            "tier__name",
            "step__order",
            "opened_at",
            "delay",
        )
    )
    return [StepRecord(*row) for row in rows]


def follow_ups_visible_to(user, *, mine: bool = False) -> QuerySet[FollowUpAction]:
    """`mine`: the person's open follow-ups (their task list); otherwise those of incidents they see."""
    actions = FollowUpAction.objects.select_related("owner", "review__incident")
    if mine:
        return actions.filter(owner=user, state=FollowUpState.OPEN)
    return actions.filter(review__incident__in=incidents_visible_to(user))


def timeline_to_pin(*, incident: Incident) -> list[TimelineEntry]:
    """The incident's whole timeline, oldest first, each entry with its task (if any) as `entry.task`."""
    tasks = {task.pk: task for task in incident.tasks.all()}
    entries = list(incident.timeline.select_related("actor").order_by("seq"))
    for entry in entries:
        entry.task = tasks.get(entry.data.get("task"))
    return entries


def drill_proposals_for(*, risk) -> list[RiskRating]:
    """The re-ratings of this risk that completed drills' reviews proposed and nobody applied yet."""
    return list(
        RiskRating.objects.filter(
            risk=risk,
            decision=RatingDecision.RERATE,
            applied_at__isnull=True,
            review__status=ReviewStatus.COMPLETED,
            review__incident__drill=True,
        )
        .select_related("review__incident")
        .order_by("-review__completed_at")
    )
