"""When each tier starts and each step opens, falls due and escalates.

Pure functions of a declaration time and a clock rate: the playbook's timeline preview and
the incident engine both use them, so the preview always tells the truth about a real run.
Every playbook offset is divided by the clock rate (60 = one hour of plan per minute).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# Level 1 at the due time (overdue: tell R and A), level 2 one escalation delay later
# (A and the incident commander), level 3 two delays later (executives and the
# Accountable team's escalation contact).
ESCALATION_LEVELS = 3


@dataclass(frozen=True)
class TierWindow:
    key: str
    starts_after: dt.timedelta
    ends_after: dt.timedelta | None


@dataclass(frozen=True)
class StepTiming:
    tier_key: str
    order: int
    due_after: dt.timedelta
    escalate_after: dt.timedelta


@dataclass(frozen=True)
class TierTimes:
    key: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None


@dataclass(frozen=True)
class StepTimes:
    tier_key: str
    order: int
    opens_at: dt.datetime
    due_at: dt.datetime
    escalations: tuple[dt.datetime, ...]  # escalations[0] is level 1


@dataclass(frozen=True)
class Schedule:
    tiers: list[TierTimes]
    steps: list[StepTimes]


def scaled(offset: dt.timedelta, clock_rate: int) -> dt.timedelta:
    return offset / clock_rate


def tier_times(*, tiers: Iterable[TierWindow], declared_at: dt.datetime, clock_rate: int) -> list[TierTimes]:
    return [
        TierTimes(
            key=tier.key,
            starts_at=declared_at + scaled(tier.starts_after, clock_rate),
            ends_at=None if tier.ends_after is None else declared_at + scaled(tier.ends_after, clock_rate),
        )
        for tier in sorted(tiers, key=lambda tier: tier.starts_after)
    ]


def escalation_times(
    *, due_at: dt.datetime, escalate_after: dt.timedelta, clock_rate: int
) -> tuple[dt.datetime, ...]:
    """When levels 1, 2 and 3 fire for a task due at `due_at`."""
    delay = scaled(escalate_after, clock_rate)
    return tuple(due_at + level * delay for level in range(ESCALATION_LEVELS))


def step_times(*, step: StepTiming, tier_started_at: dt.datetime, clock_rate: int) -> StepTimes:
    """A step's times once its tier has started (by the clock or by hand)."""
    due_at = tier_started_at + scaled(step.due_after, clock_rate)
    return StepTimes(
        tier_key=step.tier_key,
        order=step.order,
        opens_at=tier_started_at,
        due_at=due_at,
        escalations=escalation_times(
            due_at=due_at, escalate_after=step.escalate_after, clock_rate=clock_rate
        ),
    )


def schedule(
    *,
    tiers: Iterable[TierWindow],
    steps: Iterable[StepTiming],
    declared_at: dt.datetime,
    clock_rate: int = 1,
) -> Schedule:
    """The whole plan laid out in time, as it runs if nobody advances a tier by hand."""
    tier_list = tier_times(tiers=tiers, declared_at=declared_at, clock_rate=clock_rate)
    starts = {tier.key: tier.starts_at for tier in tier_list}
    step_list = [
        step_times(step=step, tier_started_at=starts[step.tier_key], clock_rate=clock_rate) for step in steps
    ]
    step_list.sort(key=lambda times: (times.opens_at, times.tier_key, times.order))
    return Schedule(tiers=tier_list, steps=step_list)
