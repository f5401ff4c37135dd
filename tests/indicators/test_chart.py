"""The chart's geometry: round values on the axis, the thresholds drawn and labelled, dates under it."""

import datetime as dt

from indicators.chart import chart_of
from indicators.models import KRI, Reading

START = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)


def readings(values, every=dt.timedelta(days=7)):
    return [
        Reading(value=value, measured_at=START + every * index, band="green")
        for index, value in enumerate(values)
    ]


def test_the_axis_has_round_values_and_each_threshold_is_labelled_in_its_band():
    kri = KRI(direction="lower_is_worse", amber=70, red=65, rule={"type": "consecutive", "count": 3})
    chart = chart_of(kri=kri, readings=readings([78, 76, 72, 69, 66, 63]))
    assert [label for _y, label in chart.ticks] == ["60", "65", "70", "75", "80"]
    assert [(threshold.label, threshold.band) for threshold in chart.thresholds] == [
        ("70", "amber"),
        ("65", "red"),
    ]
    assert chart.thresholds[0].y < chart.thresholds[1].y  # 70 drawn above 65
    assert [when.date().isoformat() for _x, when, _anchor in chart.dates][::4] == ["2026-01-05", "2026-02-09"]
    assert [anchor for _x, _when, anchor in chart.dates] == ["start", "middle", "middle", "middle", "end"]


def test_a_baseline_either_way_draws_four_thresholds_and_one_reading_one_date():
    kri = KRI(
        direction="higher_is_worse",
        amber=10,
        red=15,
        rule={"type": "change", "baseline": 40, "either_way": True},
    )
    chart = chart_of(kri=kri, readings=readings([41]))
    assert sorted(threshold.label for threshold in chart.thresholds) == ["34", "36", "44", "46"]
    assert len(chart.dates) == 1 and chart.points[0].x == (chart.left + chart.right_edge) / 2


def test_a_change_from_the_previous_reading_has_no_fixed_threshold():
    kri = KRI(direction="higher_is_worse", amber=10, red=15, rule={"type": "change", "baseline": "previous"})
    chart = chart_of(kri=kri, readings=readings([100, 100.5, 99.5], every=dt.timedelta(hours=1)))
    assert chart.thresholds == [] and chart.zones == []
    assert len(chart.dates) == 1  # three readings within the day: the date once
    assert all(label == f"{float(label):g}" for _y, label in chart.ticks)
