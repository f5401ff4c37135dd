"""The dashboard's KRI strip: every KRI's latest value, band and a sparkline against its bands."""

import datetime as dt

import pytest

from indicators.chart import SPARK_HEIGHT, SPARK_WIDTH, sparkline_of
from indicators.selectors import SPARK_READINGS, kri_strip
from tests.factories import NOW

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def test_red_first_each_with_its_latest_readings_in_two_queries(make_kri, record, django_assert_num_queries):
    calm = make_kri(name="Cash days")
    hot = make_kri(name="Returns rate")
    for day in range(SPARK_READINGS + 5):
        record(calm, 10 + day % 3, NOW - (40 - day) * DAY)
    record(hot, 95, NOW - DAY)

    with django_assert_num_queries(2):
        strip = kri_strip()

    assert [kri.name for kri, _readings in strip] == ["Returns rate", "Cash days"]
    readings = dict(strip)[calm]
    assert len(readings) == SPARK_READINGS
    assert readings == sorted(readings, key=lambda reading: reading.measured_at)
    assert readings[-1].measured_at == NOW - 16 * DAY  # the newest of the 25


def test_a_sparkline_fits_its_box_and_draws_the_bands(make_kri, record):
    kri = make_kri(name="Returns rate", amber=80, red=90)
    for day, value in enumerate([70, 85, 95]):
        record(kri, value, NOW - (3 - day) * DAY)
    [(kri, readings)] = kri_strip()
    spark = sparkline_of(kri=kri, readings=readings)
    assert [point.band for point in spark.points] == ["green", "amber", "red"]
    assert all(0 <= point.x <= SPARK_WIDTH and 0 <= point.y <= SPARK_HEIGHT for point in spark.points)
    assert {zone.band for zone in spark.zones} == {"amber", "red"}


def test_the_dashboard_shows_the_strip(client, make_kri, record, executive):
    kri = make_kri(name="Returns rate")
    record(kri, 95, NOW - DAY)
    client.force_login(executive)
    page = client.get("/dashboard/").content.decode()
    assert 'class="card kri-strip"' in page and "Returns rate" in page and 'class="kri-sparkline"' in page
