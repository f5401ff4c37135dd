"""The review's plan-versus-actual Gantt: each step's planned window, what happened over it, the late
part, the escalations it reached, each tier's window; a drill's in plan time."""

import datetime as dt

import pytest
from django.utils import translation

from incidents.models import Incident, TaskState
from reviews.plan_chart import legend, plan_versus_actual
from reviews.selectors import StepRecord
from tests.factories import H

DECLARED = dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC)


def step(tier="T1", order=1, *, opened=0, due=2, finished=None, state=None, level=0, every=1) -> StepRecord:
    """A step of tier `tier`, its times in hours after DECLARED (None: never), escalating `every` hours."""
    at = lambda hours: None if hours is None else DECLARED + hours * H  # noqa: E731
    if state is None:
        state = TaskState.OPEN if finished is None else TaskState.DONE
    return StepRecord(
        task_id=order,
        tier=tier,
        title=f"Step {tier}.{order}",
        state=state,
        due_at=at(due) if opened is not None else None,
        finished_at=at(finished),
        escalation_level=level,
        tier_name={"T1": "Level 1", "T2": "Level 2", "T3": "Level 3"}[tier],
        order=order,
        opened_at=at(opened),
        escalate_after=every * H,
    )


def chart_of(*steps, resolved=10, clock_rate=1):
    incident = Incident(declared_at=DECLARED, resolved_at=DECLARED + resolved * H, clock_rate=clock_rate)
    with translation.override("en"):
        return plan_versus_actual(incident=incident, steps=list(steps), now=DECLARED + 100 * H)


def rows_of(chart):
    return {row.label: row for row in chart.rows}


def x_at(hours, chart_hours=10):
    """Where a moment `hours` after declaring falls on an axis ending at `chart_hours` (plus its margin)."""
    return pytest.approx(100 * hours / (chart_hours * 1.06), abs=0.01)


def test_a_step_done_on_time_is_its_planned_window_with_what_happened_inside_it():
    chart = chart_of(step(finished=1.5))
    row = rows_of(chart)["T1.1 Step T1.1"]
    [planned, actual] = row.spans
    assert (planned.kind, planned.inset, planned.x) == ("planned", False, 0)
    assert planned.x + planned.width == x_at(2)
    assert (actual.kind, actual.inset, actual.x + actual.width) == ("actual", True, x_at(1.5))
    assert "on time" in actual.title and row.marks == []


def test_a_late_step_turns_red_at_its_due_time_and_marks_the_escalations_it_reached():
    row = rows_of(chart_of(step(finished=3.5, level=2)))["T1.1 Step T1.1"]
    planned, on_time, late = row.spans
    assert on_time.kind == "actual" and on_time.x + on_time.width == pytest.approx(late.x, abs=0.01)
    assert (late.kind, late.x, late.x + late.width, late.open_end) == ("late", x_at(2), x_at(3.5), False)
    assert "1 h 30 min late" in late.title
    escalations = [(mark.kind, mark.x) for mark in row.marks]
    assert escalations == [("escalation-1", x_at(2)), ("escalation-2", x_at(3))]
    assert row.marks[1].title == "Escalation 2 (A and commander): 2026-05-04 11:00"


def test_a_step_never_done_runs_late_to_the_axis_end_past_the_resolution():
    chart = chart_of(step(level=3), resolved=6)
    late = rows_of(chart)["T1.1 Step T1.1"].spans[-1]
    assert (late.kind, late.x, late.x + late.width, late.open_end) == ("late", x_at(2, 6), 100, True)
    assert "Not done" in late.title
    assert chart.ticks[-1].label == "+6 h"  # the axis reaches the resolution


def test_a_skipped_step_is_not_drawn_as_done():
    row = rows_of(chart_of(step(finished=1, state=TaskState.SKIPPED)))["T1.1 Step T1.1"]
    assert row.spans[-1].kind == "skipped" and row.spans[-1].title.startswith("Skipped")


def test_each_tier_is_drawn_above_its_steps_from_its_start_to_the_next_tiers_or_the_resolution():
    chart = chart_of(
        step("T1", 1, finished=1),
        step("T1", 2, finished=3),
        step("T2", 1, opened=6, due=18, finished=9),
        step("T3", 1, opened=None),
        resolved=10,
    )
    assert [(row.label, row.kind) for row in chart.rows] == [
        ("T1 · Level 1", "tier"),
        ("T1.1 Step T1.1", ""),
        ("T1.2 Step T1.2", ""),
        ("T2 · Level 2", "tier"),
        ("T2.1 Step T2.1", ""),
        ("T3 · Level 3", "tier"),
        ("T3.1 Step T3.1", ""),
    ]
    t1, t2, t3 = (row for row in chart.rows if row.kind == "tier")
    assert (t1.spans[0].x, t1.spans[0].x + t1.spans[0].width) == (0, x_at(6, 18))
    assert (t2.spans[0].x, t2.spans[0].x + t2.spans[0].width) == (x_at(6, 18), x_at(10, 18))
    assert t3.spans == [] and t3.note == "Never started"
    assert rows_of(chart)["T3.1 Step T3.1"].note == "Not started: its tier never began"


def test_a_drill_is_drawn_in_plan_time():
    """At 60×, a plan hour is a minute: the picture is the same, the words are plan time after declaring."""
    real = chart_of(step(finished=3.5, level=2), resolved=10)
    drill = chart_of(step(finished=3.5 / 60, due=2 / 60, level=2), resolved=10 / 60, clock_rate=60)
    ticks = [tick.label for tick in drill.ticks]
    assert ticks == [tick.label for tick in real.ticks] == ["+0 h", "+2 h", "+4 h", "+6 h", "+8 h", "+10 h"]
    for real_row, drill_row in zip(real.rows, drill.rows, strict=True):
        assert [(s.x, s.width) for s in drill_row.spans] == [(s.x, s.width) for s in real_row.spans]
    late = drill.rows[1].spans[-1]
    assert late.title == "Done +3 h 30 min, 1 h 30 min late"  # not "2026-05-04 08:03, 1 min 30 s late"
    assert drill.rows[1].marks[1].title == "Escalation 2 (A and commander): +3 h"


def test_the_legend_names_only_what_is_drawn():
    with translation.override("en"):
        words = dict(legend(chart_of(step(finished=3.5, level=1))))
    assert list(words) == ["planned", "actual", "late", "escalation-1"]
    assert words["late"].startswith("Late")
