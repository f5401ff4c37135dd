"""Bulk ingestion: a list of readings costs the same queries whatever its length and however many
KRIs it names, and gives every reading the band and breach it gets when posted on its own."""

import datetime as dt

import pytest

from indicators.models import Breach
from tests.factories import NOW

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
RULES = [
    {"type": "threshold"},
    {"type": "change", "baseline": "previous", "either_way": True},
    {"type": "consecutive", "count": 3},
]
# The token; the KRIs the list names, found in one query; the savepoint; the KRIs locked; their
# open breaches; the recent values their rules need; the readings inserted; the KRIs' latest
# values; the savepoint released.
QUERIES = 9


def kris_of_every_rule(make_kri, count: int) -> list:
    return [
        make_kri(name=f"KRI {index}", rule=RULES[index % 3], amber=10 if index % 3 == 1 else 80, red=90)
        for index in range(count)
    ]


def readings(kris, count: int, first: dt.datetime, value: float) -> list[dict]:
    return [
        {"kri": kris[index % len(kris)].pk, "value": value, "measured_at": (first + index * HOUR).isoformat()}
        for index in range(count)
    ]


def test_a_list_costs_the_same_queries_whatever_its_length_and_kris(
    api, officer, make_kri, django_assert_num_queries
):
    kris = kris_of_every_rule(make_kri, 6)
    amber = kris[0]
    api.as_user(officer)
    history = readings(kris, 30, NOW - dt.timedelta(days=20), 50)
    history.append({"kri": amber.pk, "value": 85, "measured_at": (NOW - dt.timedelta(days=10)).isoformat()})
    assert api.post("/api/v1/kris/readings/", history, format="json").status_code == 201
    assert Breach.objects.get().kri == amber

    # Still amber: the open breach is left as it is, so nothing else is written. Two readings of
    # two KRIs, then 150 of six.
    small = [
        *readings([amber], 1, NOW - dt.timedelta(days=9), 86),
        *readings([kris[2]], 1, NOW - dt.timedelta(days=9), 50),
    ]
    large = readings(kris, 150, NOW - dt.timedelta(days=8), 50)
    large[::6] = readings([amber], 25, NOW - dt.timedelta(days=8), 86)
    for batch in (small, large):
        with django_assert_num_queries(QUERIES):
            response = api.post("/api/v1/kris/readings/", batch, format="json")
        assert response.status_code == 201
    assert {item["band"] for item in response.json()} == {"green", "amber"}
    assert Breach.objects.get().state == "open"


def test_a_list_gives_each_reading_the_band_and_breach_it_gets_on_its_own(api, officer, make_kri):
    """The same series for each rule, once as one list of every KRI, once reading by reading."""
    series = [50, 85, 95, 95, 70, 95, 96, 97, 40, 60]
    together, alone = kris_of_every_rule(make_kri, 3), kris_of_every_rule(make_kri, 3)
    start = NOW - dt.timedelta(days=len(series))
    api.as_user(officer)
    body = [
        {"kri": kri.pk, "value": value, "measured_at": (start + day * dt.timedelta(days=1)).isoformat()}
        for day, value in enumerate(series)
        for kri in together
    ]
    response = api.post("/api/v1/kris/readings/", body, format="json")
    assert response.status_code == 201
    bands_together = {kri.pk: [] for kri in together}
    for item in response.json():
        bands_together[item["kri"]].append(item["band"])
    for twin, kri in zip(together, alone, strict=True):
        bands_alone = []
        for day, value in enumerate(series):
            reading = {"value": value, "measured_at": (start + day * dt.timedelta(days=1)).isoformat()}
            bands_alone.append(
                api.post(f"/api/v1/kris/{kri.pk}/readings/", reading, format="json").json()["band"]
            )
        assert bands_together[twin.pk] == bands_alone
        assert breaches(twin) == breaches(kri)
    assert bands_together[together[2].pk] == [
        *("green", "amber", "amber", "amber", "green", "amber", "amber", "red", "green", "green")
    ]


def breaches(kri) -> list[tuple]:
    return list(kri.breaches.order_by("opened_at").values_list("band", "opened_at", "red_at", "closed_at"))
