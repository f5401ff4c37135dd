"""Reads of playbooks. The incident engine calls `playbook_get_published`."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from playbooks.models import Playbook, PlaybookStatus, RaciAssignment, Step, Tier
from playbooks.schedule import StepTiming, TierWindow, schedule


def playbook_detail_queryset() -> QuerySet[Playbook]:
    """Playbooks with tiers, steps and RACI (with team and person) in four queries in all."""
    return Playbook.objects.prefetch_related(
        Prefetch("tiers", queryset=Tier.objects.order_by("starts_after")),
        Prefetch(
            "steps",
            queryset=Step.objects.select_related("tier")
            .order_by("tier__starts_after", "order")
            .prefetch_related(
                Prefetch("raci", queryset=RaciAssignment.objects.select_related("team", "user"))
            ),
        ),
    )


def playbook_list(
    *, status: str | None = None, category: str | None = None, search: str | None = None
) -> QuerySet[Playbook]:
    playbooks = playbook_detail_queryset().order_by("name", "-version")
    if status:
        playbooks = playbooks.filter(status=status)
    if category:
        playbooks = playbooks.filter(category=category)
    if search:
        playbooks = playbooks.filter(
            Q(name__icontains=search) | Q(description__icontains=search) | Q(category__icontains=search)
        )
    return playbooks


def playbook_categories() -> list[str]:
    return list(
        Playbook.objects.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def playbook_get(*, playbook_id: int) -> Playbook:
    """Any version, with everything prefetched; raises Playbook.DoesNotExist."""
    return playbook_detail_queryset().get(pk=playbook_id)


def playbook_get_published(*, playbook_id: int) -> Playbook:
    """A PUBLISHED version with tiers, steps and RACI prefetched; Playbook.DoesNotExist otherwise."""
    return playbook_detail_queryset().get(pk=playbook_id, status=PlaybookStatus.PUBLISHED)


def playbook_current_published(*, lineage: uuid.UUID) -> Playbook | None:
    return playbook_detail_queryset().filter(lineage=lineage, status=PlaybookStatus.PUBLISHED).first()


def playbook_versions(*, playbook: Playbook) -> QuerySet[Playbook]:
    return Playbook.objects.filter(lineage=playbook.lineage).order_by("-version")


@dataclass(frozen=True)
class PreviewStep:
    step: Step
    opens_at: dt.datetime
    due_at: dt.datetime
    escalations: tuple[dt.datetime, ...]


@dataclass(frozen=True)
class Preview:
    declared_at: dt.datetime
    clock_rate: int
    tiers: list[tuple[Tier, dt.datetime, dt.datetime | None]]
    steps: list[PreviewStep]


def playbook_preview(*, playbook: Playbook, declared_at: dt.datetime, clock_rate: int = 1) -> Preview:
    """When each tier starts and each step opens, falls due and escalates (playbooks.schedule)."""
    tiers = list(playbook.tiers.all())
    steps = {(step.tier.key, step.order): step for step in playbook.steps.all()}
    laid_out = schedule(
        tiers=[TierWindow(tier.key, tier.starts_after, tier.ends_after) for tier in tiers],
        steps=[
            StepTiming(key[0], key[1], step.due_after, step.escalate_after) for key, step in steps.items()
        ],
        declared_at=declared_at,
        clock_rate=clock_rate,
    )
    by_key = {tier.key: tier for tier in tiers}
    return Preview(
        declared_at=declared_at,
        clock_rate=clock_rate,
        tiers=[(by_key[times.key], times.starts_at, times.ends_at) for times in laid_out.tiers],
        steps=[
            PreviewStep(
                step=steps[(times.tier_key, times.order)],
                opens_at=times.opens_at,
                due_at=times.due_at,
                escalations=times.escalations,
            )
            for times in laid_out.steps
        ],
    )
