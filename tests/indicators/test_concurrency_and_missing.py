"""Two red readings at once open ONE incident; a missing reading is flagged once per missed period."""

import datetime as dt
import threading

import pytest
from django.db import connection

from incidents.models import Incident
from indicators import services
from indicators.models import Breach, Reading
from notifications.models import Notification
from tests.factories import NOW

DAY = dt.timedelta(days=1)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_red_readings_open_one_incident(make_kri, officer):
    kri = make_kri(on_red="open_incident")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def post(minutes: int):
        try:
            barrier.wait()
            entry = services.ReadingInput(kri=kri, value=95, measured_at=NOW - dt.timedelta(minutes=minutes))
            results.append(services.readings_record(entries=[entry], by=officer, now=NOW)[0])
        except services.ReadingsRejected as rejected:  # the earlier one, if it came second
            errors.append(rejected)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(minutes,)) for minutes in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) + len(errors) == 2 and results
    assert Incident.objects.count() == 1 and Breach.objects.count() == 1
    incident = Incident.objects.get()
    assert all(result.breach.incident_id == incident.pk for result in results)
    assert Reading.objects.count() == len(results)


@pytest.mark.django_db
def test_a_missing_reading_is_flagged_once_per_missed_period(make_kri, record, kri_owner):
    kri = make_kri(expected_every=7 * DAY)
    record(kri, 1, NOW)

    def flag(at):
        return services.kris_flag_missing(now=at)

    assert flag(NOW + 7 * DAY) == []  # due exactly now: not missing yet
    assert flag(NOW + 7 * DAY + dt.timedelta(seconds=1)) == [kri.pk]
    assert flag(NOW + 8 * DAY) == []  # the same missed period: told once
    assert flag(NOW + 14 * DAY + dt.timedelta(seconds=1)) == [kri.pk]  # the next one
    told = Notification.objects.filter(kind="kri.missing")
    assert told.count() == 2 and {item.recipient for item in told} == {kri_owner}
    record(kri, 2, NOW + 15 * DAY, now=NOW + 15 * DAY)  # a reading starts the count again
    assert flag(NOW + 21 * DAY) == []
    assert flag(NOW + 22 * DAY + dt.timedelta(seconds=1)) == [kri.pk]


@pytest.mark.django_db
def test_kris_without_an_expected_frequency_are_never_flagged(make_kri):
    make_kri()
    assert services.kris_flag_missing(now=NOW + 365 * DAY) == []
