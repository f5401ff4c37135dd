"""A risk's score over time: the inherent, residual and target score after each change of its
ratings, drawn on its page as SVG with each change's reason on the chart and beside it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Role
from risks import selectors, services
from risks.trajectory import END, GAP, START, trajectory_of
from tests.factories import NOW

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def trajectory(risk, now=NOW):
    return trajectory_of(history=list(selectors.risk_history(risk=risk)), matrix=risk.matrix, now=now)


def scores(chart, series: str) -> list[tuple[int, int]]:
    return [(point.number, point.score) for point in chart.points if point.series == series]


def test_a_point_for_each_rating_after_each_change_oldest_first(treated):
    chart = trajectory(treated)
    assert chart.drawn and [change.reason for change in chart.changes] == [
        "Identified",
        "Backup supplier signed",
        "Second fire in the region",
    ]
    assert scores(chart, "inherent") == [(1, 20), (2, 20), (3, 25)]
    assert scores(chart, "residual") == [(1, 20), (2, 6), (3, 6)]
    assert scores(chart, "target") == [(3, 2)]
    assert [key for key, _words in chart.series] == ["inherent", "residual", "target"]
    assert {key for key, _words in chart.levels} == {"critical", "medium", "low"}
    assert [score for _y, score in chart.ticks] == [0, 5, 10, 15, 20, 25]


def test_the_line_holds_each_score_until_the_next_change_then_steps(treated):
    chart = trajectory(treated)
    x1, x2, x3 = (point.x for point in chart.points if point.series == "residual")
    assert x1 == START and x1 < x2 < x3 < 100 - END
    # a third of the way from the first change to now, and two thirds
    assert x2 == pytest.approx(START + GAP + (100 - START - END - 2 * GAP) / 3, abs=0.01)
    y = {point.score: point.y for point in chart.points}
    residual = [(s.x1, s.y1, s.x2, s.y2) for s in chart.segments if s.series == "residual"]
    assert residual == [
        (x1, y[20], x2, y[20]),  # held until the treatment
        (x2, y[20], x2, y[6]),  # the step down
        (x2, y[6], x3, y[6]),
        (x3, y[6], 100 - END, y[6]),  # held until today
    ]
    assert y[25] < y[20] < y[6] < y[2]  # higher scores higher up


def test_changes_close_in_time_stay_apart_with_their_numbers(make_risk, risk_officer):
    risk = make_risk(likelihood=2, impact=2, now=NOW - 365 * DAY)
    for minute in range(1, 4):
        moment = NOW - DAY + dt.timedelta(minutes=minute)
        services.risk_rerate(risk=risk, by=risk_officer, reason="Fix", likelihood=2 + minute, now=moment)
    chart = trajectory(risk)
    xs = [point.x for point in chart.points if point.series == "inherent"]
    assert all(later - earlier >= GAP - 0.05 for earlier, later in zip(xs, xs[1:], strict=False))
    assert chart.numbers == [(x, number) for number, x in reversed(list(enumerate(xs, 1)))]


def test_many_changes_number_the_newest_and_no_two_numbers_touch(make_risk, risk_officer):
    risk = make_risk(likelihood=1, impact=1, now=NOW - DAY)
    for minute in range(1, 30):
        moment = NOW - DAY + dt.timedelta(minutes=minute)
        services.risk_rerate(risk=risk, by=risk_officer, reason="Fix", likelihood=minute % 4 + 2, now=moment)
    chart = trajectory(risk)
    assert len(chart.changes) == 30
    assert [number for _x, number in chart.numbers] == list(range(30, 0, -2))  # every other one fits
    xs = sorted(x for x, _number in chart.numbers)
    assert all(later - earlier >= GAP - 0.05 for earlier, later in zip(xs, xs[1:], strict=False))


def test_one_rating_or_none_is_no_line(make_risk):
    once = trajectory(make_risk(likelihood=3, impact=3))
    assert not once.drawn and len(once.changes) == 1
    never = trajectory(make_risk(likelihood=None, impact=None))
    assert not never.drawn and never.changes == [] and never.points == []


def test_the_risk_page_draws_the_score_with_each_reason_on_it_and_below_it(client, executive, treated):
    client.force_login(executive)
    page = client.get(f"/risks/{treated.pk}/").content.decode()
    assert page.count('<circle class="trajectory-point') == 7  # 3 inherent, 3 residual, 1 target
    assert "Residual 2 × 3 = 6, Medium · Backup supplier signed</title>" in page
    assert "Target 1 × 2 = 2, Low · Second fire in the region</title>" in page
    assert page.count('<line class="trajectory-line trajectory-residual"') == 4
    assert "Score (likelihood × impact)" in page and "today" in page
    # the table below numbers the changes as the chart does, newest first
    numbers = [page.index(f'<span class="change-number">{n}</span>') for n in (3, 2, 1)]
    assert numbers == sorted(numbers)
    assert page.index("Second fire in the region</span>") < page.index("Backup supplier signed</span>")
    assert "No target set" not in page


def test_the_chart_in_chinese(client, make_user, treated):
    client.force_login(make_user(Role.EXECUTIVE, language="zh-hans"))
    page = client.get(f"/risks/{treated.pk}/").content.decode()
    assert "剩余 2 × 3 = 6，中 · Backup supplier signed</title>" in page
    assert (
        "分值（可能性 × 影响）" in page and "今天" in page and "编号对应下方列出的各次变更及其原因。" in page
    )


@pytest.mark.parametrize(
    ("language", "once", "never", "no_target"),
    [
        ("en", "Rated once so far, on ", "Not rated yet: the line of its score starts", "No target set"),
        ("zh-hans", "目前只在 ", "尚未评级：首次评级后开始画出分值走势。", "未设定目标"),
    ],
)
def test_one_rating_or_none_is_said_in_words(client, make_user, make_risk, language, once, never, no_target):
    client.force_login(make_user(Role.EXECUTIVE, language=language))
    rated_once = client.get(f"/risks/{make_risk(likelihood=3, impact=3).pk}/").content.decode()
    assert once in rated_once and "trajectory-track" not in rated_once
    assert no_target in rated_once and "—</td>" not in rated_once and "change-number" not in rated_once
    not_rated = client.get(f"/risks/{make_risk(likelihood=None, impact=None).pk}/").content.decode()
    assert never in not_rated and "trajectory-track" not in not_rated


def test_the_risk_page_costs_the_same_queries_for_one_change_or_thirty(
    client, executive, make_risk, risk_officer
):
    client.force_login(executive)
    risk = make_risk(likelihood=1, impact=1, now=NOW - 60 * DAY)

    def queries() -> int:
        client.get(f"/risks/{risk.pk}/")  # warm: the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/risks/{risk.pk}/").status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for day in range(29):
        services.risk_rerate(
            risk=risk,
            by=risk_officer,
            reason=f"Week {day}",
            likelihood=day % 4 + 2,  # never the rating it had
            target_likelihood=1,
            target_impact=1,
            now=NOW - (59 - 2 * day) * DAY,
        )
    assert queries() == one == 12  # the acceptances are one query
