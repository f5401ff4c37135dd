"""Why each reading has its colour, in words, for every kind of rule: the words the chart's points
and the readings table show."""

import datetime as dt

import pytest
from django.utils import translation

from indicators.examples import EXAMPLE_BY_KEY
from indicators.models import KRI, Reading
from indicators.reasons import reading_reasons
from indicators.rules import band_of, rule_parse

pytestmark = pytest.mark.django_db


def kri_like(key: str, **changes) -> KRI:
    settings = EXAMPLE_BY_KEY[key].settings | changes
    return KRI(**{name: settings[name] for name in ("direction", "amber", "red", "rule")})


def readings_of(kri: KRI, values: list[float], earlier: list[float] = ()) -> list[Reading]:
    """Readings with the bands the rule gives them, as the service would record them."""
    rule, _errors = rule_parse(kri.rule)
    history, readings = list(earlier), []
    for value in values:
        band = band_of(
            value=value, previous=history, rule=rule, direction=kri.direction, amber=kri.amber, red=kri.red
        )
        readings.append(Reading(value=value, band=band, measured_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
        history.append(value)
    return readings


def test_consecutive_readings_below_red_count_up_to_red():
    kri = kri_like("health")
    readings = readings_of(kri, [72, 68, 64, 63, 62, 66])
    assert reading_reasons(kri=kri, readings=readings, earlier=[]) == [
        "Green: not below 70",
        "Amber: below 70 (red below 65)",
        "Amber: below 65 once; red after 3 in a row",
        "Amber: below 65 2 times in a row; red after 3 in a row",
        "Red: 3 readings in a row below 65",
        "Amber: below 70 (red below 65)",
    ]


def test_the_first_reading_on_the_chart_is_explained_by_the_readings_before_it():
    kri = kri_like("health")
    readings = readings_of(kri, [62], earlier=[64, 63])
    assert reading_reasons(kri=kri, readings=readings, earlier=[64, 63]) == [
        "Red: 3 readings in a row below 65"
    ]


def test_a_change_from_the_previous_reading_says_how_far_it_moved():
    kri = kri_like("dau")
    readings = readings_of(kri, [120, 110, 132, 100])
    assert reading_reasons(kri=kri, readings=readings, earlier=[]) == [
        "Green: the first reading, with no reading before it to compare with",
        "Green: down 8.3 % on the previous reading (amber beyond 10 %)",
        "Red: up 20 % on the previous reading (red beyond 15 %)",
        "Red: down 24.2 % on the previous reading (red beyond 15 %)",
    ]


def test_a_change_against_a_baseline_counts_the_worse_way_only():
    kri = kri_like("turnover")
    readings = readings_of(kri, [44.6, 46.6, 30])
    assert reading_reasons(kri=kri, readings=readings, earlier=[]) == [
        "Amber: up 11.5 % on the baseline 40 (amber beyond 10 %, red beyond 15 %)",
        "Red: up 16.5 % on the baseline 40 (red beyond 15 %)",
        "Green: down 25 % on the baseline 40 (amber beyond 10 %); only rises count",
    ]


def test_a_threshold_rule_names_the_threshold_crossed():
    kri = kri_like("health", direction="higher_is_worse", amber=80, red=90, rule={"type": "threshold"})
    readings = readings_of(kri, [50, 85, 95])
    assert reading_reasons(kri=kri, readings=readings, earlier=[]) == [
        "Green: not above 80",
        "Amber: above 80 (red above 90)",
        "Red: above 90",
    ]


def test_a_reading_given_its_band_under_earlier_settings_says_so():
    kri = kri_like("health", direction="higher_is_worse", amber=80, red=90, rule={"type": "threshold"})
    [reading] = readings_of(kri, [95])
    kri.red = 99  # raised after the reading was recorded red
    assert reading_reasons(kri=kri, readings=[reading], earlier=[]) == [
        "Red under the settings of the time it was recorded"
    ]


def test_the_reasons_read_in_chinese():
    kri = kri_like("health")
    readings = readings_of(kri, [68, 64, 63, 62])
    with translation.override("zh-hans"):
        assert reading_reasons(kri=kri, readings=readings, earlier=[]) == [
            "黄灯：低于 70（低于 65 为红灯）",
            "黄灯：低于 65，已连续 1 次（满 3 次转红灯）",
            "黄灯：低于 65，已连续 2 次（满 3 次转红灯）",
            "红灯：连续 3 次读数低于 65",
        ]
