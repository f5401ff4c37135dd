"""The timeline preview function against hand-computed times."""

import datetime as dt

from playbooks.schedule import StepTiming, TierWindow, schedule, step_times
from tests.factories import H

M = dt.timedelta(minutes=1)
DECLARED = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)

THREE_LEVELS = [
    TierWindow("T1", 0 * H, 6 * H),
    TierWindow("T2", 6 * H, 48 * H),
    TierWindow("T3", 48 * H, None),
]
GOLDEN_THREE_HOURS = [
    TierWindow("T1", 0 * H, 1 * H),
    TierWindow("T2", 1 * H, 2 * H),
    TierWindow("T3", 2 * H, 3 * H),
    TierWindow("T4", 3 * H, None),
]


def test_three_level_plan_in_real_time():
    plan = schedule(
        tiers=THREE_LEVELS,
        steps=[
            StepTiming("T2", 1, 12 * H, 2 * H),
            StepTiming("T1", 1, 2 * H, 1 * H),
            StepTiming("T3", 1, 24 * H, 6 * H),
        ],
        declared_at=DECLARED,
    )
    assert [(t.key, t.starts_at, t.ends_at) for t in plan.tiers] == [
        ("T1", DECLARED, DECLARED + 6 * H),
        ("T2", DECLARED + 6 * H, DECLARED + 48 * H),
        ("T3", DECLARED + 48 * H, None),
    ]
    first, second, third = plan.steps
    assert (first.tier_key, first.opens_at, first.due_at) == ("T1", DECLARED, DECLARED + 2 * H)
    assert first.escalations == (DECLARED + 2 * H, DECLARED + 3 * H, DECLARED + 4 * H)
    # T2 opens at 14:00 on the day of declaration, is due 12 h later: 02:00 the next day.
    assert second.opens_at == dt.datetime(2026, 5, 4, 14, 0, tzinfo=dt.UTC)
    assert second.due_at == dt.datetime(2026, 5, 5, 2, 0, tzinfo=dt.UTC)
    assert second.escalations[2] == dt.datetime(2026, 5, 5, 6, 0, tzinfo=dt.UTC)
    assert third.due_at == dt.datetime(2026, 5, 7, 8, 0, tzinfo=dt.UTC)


def test_golden_three_hours_at_clock_rate_60():
    # The PR SOP must start within 2 h: in the plan, due 50 min into T2 (1 h–2 h), 10 min to escalate.
    plan = schedule(
        tiers=GOLDEN_THREE_HOURS,
        steps=[StepTiming("T1", 1, 30 * M, 10 * M), StepTiming("T2", 1, 50 * M, 10 * M)],
        declared_at=DECLARED,
        clock_rate=60,
    )
    seconds = dt.timedelta(seconds=1)
    assert [t.starts_at - DECLARED for t in plan.tiers] == [
        0 * seconds,
        60 * seconds,
        120 * seconds,
        180 * seconds,
    ]
    assert plan.tiers[-1].ends_at is None
    contain, pr_sop = plan.steps
    assert contain.due_at - DECLARED == 30 * seconds
    assert contain.escalations == (DECLARED + 30 * seconds, DECLARED + 40 * seconds, DECLARED + 50 * seconds)
    assert pr_sop.opens_at - DECLARED == 60 * seconds
    assert pr_sop.due_at - DECLARED == 110 * seconds  # inside the 2 h rule: 110 min of plan
    assert pr_sop.escalations[1] - DECLARED == 120 * seconds


def test_a_tier_started_early_by_hand_moves_its_steps():
    started = DECLARED + 2 * H  # T2 advanced by hand 4 h early
    times = step_times(step=StepTiming("T2", 1, 12 * H, 2 * H), tier_started_at=started, clock_rate=1)
    assert times.opens_at == started
    assert times.due_at == started + 12 * H


def test_clock_rate_3600_turns_hours_into_seconds():
    plan = schedule(tiers=THREE_LEVELS, steps=[], declared_at=DECLARED, clock_rate=3600)
    assert [t.starts_at - DECLARED for t in plan.tiers] == [
        dt.timedelta(0),
        dt.timedelta(seconds=6),
        dt.timedelta(seconds=48),
    ]
