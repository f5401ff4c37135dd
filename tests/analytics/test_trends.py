"""The last quarter week by week, against the hand-made history in conftest (drills left out)."""

import datetime as dt

import pytest

from analytics.trends import WEEKS, weekly_trends
from analytics.week_chart import week_chart

pytestmark = pytest.mark.django_db


def test_a_quarter_of_weeks_counts_real_incidents_and_their_mean_times(history):
    weeks = weekly_trends(now=history["now"])  # a Saturday in the week of 7 April 2025

    assert len(weeks) == WEEKS and weeks[-1].starts == dt.date(2025, 4, 7)
    assert weeks[0].starts == dt.date(2025, 1, 13)
    by_start = {week.starts: week for week in weeks}
    march = by_start[dt.date(2025, 3, 3)]  # A and B; the drill the same week is left out
    assert (march.incidents, march.mtta, march.mttr) == (2, 2700.0, 14400.0)
    april = by_start[dt.date(2025, 3, 31)]  # C: declared, never acknowledged nor resolved
    assert (april.incidents, april.mtta, april.mttr) == (1, None, None)
    quiet = [week for week in weeks if week.starts not in {march.starts, april.starts}]
    assert {(week.incidents, week.mtta, week.mttr) for week in quiet} == {(0, None, None)}


def test_a_week_without_data_is_a_gap_and_the_latest_value_is_worded(history):
    weeks = weekly_trends(now=history["now"])
    chart = week_chart(weeks, value=lambda week: week.mtta, text=lambda seconds: f"{seconds / 60:g} min")
    assert [column.x for column in chart.columns] == [7]  # only the week of 3 March has an MTTA
    assert chart.columns[0].height == 60 and chart.latest_text == "45 min"
    empty = week_chart(weeks[:3], value=lambda week: week.mttr, text=str)
    assert empty.columns == [] and empty.latest_text == "" and empty.empty


def test_the_analytics_page_shows_the_trends_and_says_no_data_yet(client, cast, history):
    client.force_login(cast["ceo"])
    page = client.get("/analytics/").content.decode()  # today: the history is older than a quarter
    assert "The last quarter, week by week (real incidents)" in page
    assert page.count("no data yet") == 2 and "latest: 0" in page  # MTTA, MTTR; no incident this week
    assert page.count("Nothing in the last quarter.") == 3
