"""Each rule on hand-made series, boundary values included (indicators.rules is pure)."""

import math

import pytest

from indicators.rules import Rule, band_of, rule_parse, threshold_errors

HIGHER, LOWER = "higher_is_worse", "lower_is_worse"


THRESHOLD = Rule()


def bands(series, *, rule=THRESHOLD, direction=HIGHER, amber, red):
    """The band of each value of the series, given the values before it."""
    return [
        band_of(value=value, previous=series[:index], rule=rule, direction=direction, amber=amber, red=red)
        for index, value in enumerate(series)
    ]


def test_threshold_higher_is_worse_is_crossed_strictly():
    assert bands([79.9, 80, 80.1, 90, 90.1], amber=80, red=90) == ["green", "green", "amber", "amber", "red"]


def test_threshold_lower_is_worse_is_crossed_strictly():
    assert bands([70, 69.9, 65, 64.99], direction=LOWER, amber=70, red=65) == [
        "green",
        "amber",
        "amber",
        "red",
    ]


def test_change_from_the_previous_reading_either_way_more_than_15_percent():
    rule = Rule("change", "previous", either_way=True)
    series = [1000, 1150, 977.5, 830.875, 1000]
    # +15 % (not more), -15 % (not more), -15 %, +20.35 %
    assert bands(series, rule=rule, amber=10, red=15) == ["green", "amber", "amber", "amber", "red"]
    assert bands([1000, 1150.1], rule=rule, amber=10, red=15) == ["green", "red"]
    assert bands([1000, 849.9], rule=rule, amber=10, red=15) == ["green", "red"]


def test_change_one_way_counts_only_the_worse_direction():
    rule = Rule("change", "previous")
    assert bands([100, 50], rule=rule, direction=HIGHER, amber=10, red=15) == ["green", "green"]
    assert bands([100, 50], rule=rule, direction=LOWER, amber=10, red=15) == ["green", "red"]
    assert bands([100, 130], rule=rule, direction=HIGHER, amber=10, red=15) == ["green", "red"]


def test_change_against_a_configured_benchmark():
    rule = Rule("change", 40.0)
    # inventory turnover days against a 40-day benchmark: +10 % amber, +15 % red
    assert bands([40, 44, 44.1, 46, 46.1, 30], rule=rule, amber=10, red=15) == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
        "green",
    ]


def test_change_from_zero_is_infinite_unless_still_zero():
    rule = Rule("change", "previous", either_way=True)
    assert bands([0, 0, 1], rule=rule, amber=10, red=15) == ["green", "green", "red"]


def test_consecutive_red_needs_the_whole_streak():
    rule = Rule("consecutive", count=3)
    series = [70, 64, 64, 64, 65, 60, 60, 60, 60]
    assert bands(series, rule=rule, direction=LOWER, amber=70, red=65) == [
        "green",
        "amber",  # red value, streak of 1
        "amber",  # streak of 2
        "red",  # 3 consecutive readings below 65
        "amber",  # exactly 65 is not below 65: the streak breaks
        "amber",
        "amber",
        "red",
        "red",
    ]


def test_consecutive_two_quarters_of_negative_cash_flow():
    rule = Rule("consecutive", count=2)
    assert bands([5, -1, 3, -2, -0.5], rule=rule, direction=LOWER, amber=1, red=0) == [
        "green",
        "amber",
        "green",
        "amber",
        "red",
    ]


@pytest.mark.parametrize(
    "data, error",
    [
        ({"type": "moving-average"}, True),
        ({"type": "change", "baseline": "yesterday"}, True),
        ({"type": "change", "baseline": 0}, True),
        ({"type": "change", "baseline": math.inf}, True),
        ({"type": "change", "either_way": "yes"}, True),
        ({"type": "consecutive"}, True),
        ({"type": "consecutive", "count": 1}, True),
        ({"type": "consecutive", "count": True}, True),
        ({"type": "threshold", "count": 3}, True),
        ([], True),
        ({}, False),
        ({"type": "change", "baseline": 40, "either_way": True}, False),
        ({"type": "consecutive", "count": 3}, False),
    ],
)
def test_rule_settings_are_checked(data, error):
    assert bool(rule_parse(data)[1]) is error


def test_amber_comes_before_red():
    assert threshold_errors(rule=Rule(), direction=HIGHER, amber=91, red=90)
    assert not threshold_errors(rule=Rule(), direction=HIGHER, amber=90, red=90)
    assert threshold_errors(rule=Rule(), direction=LOWER, amber=60, red=65)
    assert threshold_errors(rule=Rule("change", "previous"), direction=LOWER, amber=20, red=15)
    assert not threshold_errors(rule=Rule("change", "previous"), direction=LOWER, amber=10, red=15)
