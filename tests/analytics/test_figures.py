"""Analytics against figures computed by hand from the incidents in conftest.history."""

import pytest

from analytics import selectors
from analytics.figures import figures_compute


def rows(figure, *fields):
    return [tuple(row[field] for field in ("drill", "key", *fields)) for row in figure]


def test_mean_times_by_severity_keep_drills_apart(history):
    incidents = selectors.incidents_in()
    # MTTA: A 30 min, B 60 min → 45 min; C never acknowledged; the drill 10 min.
    assert rows(selectors.mean_time_to_acknowledge(incidents, by="severity"), "value", "count") == [
        (False, 1, 2700.0, 2),
        (True, 1, 600.0, 1),
    ]
    # MTTR: A 3 h, B 5 h → 4 h; C unresolved; the drill 1 h.
    assert rows(selectors.mean_time_to_resolve(incidents, by="severity"), "value", "count") == [
        (False, 1, 14400.0, 2),
        (True, 1, 3600.0, 1),
    ]


def test_escalations_per_incident_count_incidents_without_any(history):
    # A: one task.overdue entry, B: none → 0.5; C: none → 0; the drill: none.
    assert rows(
        selectors.escalations_per_incident(selectors.incidents_in(), by="severity"), "value", "count"
    ) == [
        (False, 1, 0.5, 2),
        (False, 2, 0.0, 1),
        (True, 1, 0.0, 1),
    ]


def test_on_time_rate_per_tier(history):
    figure = selectors.on_time_rate(selectors.incidents_in(), by="severity", now=history["now"])
    # Tier 1: A done late, B done on time → 1/2; C and the drill never done, long due → 0/1 each.
    # Later tiers never opened (their steps have no due time) and are left out.
    assert rows(figure, "tier", "on_time", "count", "value") == [
        (False, 1, "T1", 1, 2, 0.5),
        (False, 2, "T1", 0, 1, 0.0),
        (True, 1, "T1", 0, 1, 0.0),
    ]


def test_by_month_and_playbook(history):
    incidents = selectors.incidents_in()
    figures = figures_compute(by="month", now=history["now"])
    assert rows(figures["mttr"], "value", "count") == [
        (False, "2025-03", 14400.0, 2),
        (True, "2025-03", 3600.0, 1),
    ]
    assert rows(figures["escalations"], "count") == [
        (False, "2025-03", 2),
        (False, "2025-04", 1),
        (True, "2025-03", 1),
    ]
    by_playbook = selectors.mean_time_to_resolve(incidents, by="playbook")
    assert rows(by_playbook, "value") == [
        (False, "Supply-chain break", 14400.0),
        (True, "Supply-chain break", 3600.0),
    ]


def test_by_team_an_incident_counts_once_per_team_however_many_assignments(history):
    # Every incident names both teams, the supply team in several RACI roles: figures equal the totals.
    incidents = selectors.incidents_in()
    assert rows(selectors.mean_time_to_acknowledge(incidents, by="team"), "value", "count") == [
        (False, "PR", 2700.0, 2),
        (False, "Supply chain", 2700.0, 2),
        (True, "PR", 600.0, 1),
        (True, "Supply chain", 600.0, 1),
    ]
    assert rows(selectors.escalations_per_incident(incidents, by="team"), "value", "count") == [
        (False, "PR", pytest.approx(1 / 3), 3),
        (False, "Supply chain", pytest.approx(1 / 3), 3),
        (True, "PR", 0.0, 1),
        (True, "Supply chain", 0.0, 1),
    ]
    # On time by the Accountable team of each step: tier 1 is the supply team's.
    figure = selectors.on_time_rate(incidents, by="team", now=history["now"])
    assert rows(figure, "tier", "on_time", "count") == [
        (False, "Supply chain", "T1", 1, 3),
        (True, "Supply chain", "T1", 0, 1),
    ]


def test_a_period_filter(history):
    figures = figures_compute(by="severity", now=history["now"], since=history["c"].declared_at)
    assert rows(figures["escalations"], "count") == [(False, "2", 1)]
    assert figures["mtta"] == [] and figures["mttr"] == []


@pytest.mark.parametrize("by", selectors.DIMENSIONS)
def test_one_query_per_figure_whatever_the_number_of_incidents(history, by, django_assert_num_queries):
    with django_assert_num_queries(4):
        figures_compute(by=by, now=history["now"])
