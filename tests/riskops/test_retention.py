"""Data retention: read and delivered notifications and old KRI readings go; records stay."""

import datetime as dt

import pytest
from django.utils import timezone

from incidents.models import Incident, TimelineEntry
from indicators.models import Band, Reading
from notifications.models import Delivery, DeliveryState, Notification
from riskops.retention import READINGS_ALWAYS_KEPT
from riskops.tasks import purge_expired_data

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = dt.timedelta(days=1)


def notification(person, *, age_days, read, deliveries=()):
    made = Notification.objects.create(
        recipient=person,
        kind="task.overdue",
        title="逾期任务",
        created_at=NOW - age_days * DAY,
        read_at=NOW - age_days * DAY if read else None,
    )
    for state in deliveries:
        Delivery.objects.create(notification=made, channel="email", state=state)
    return made


def test_read_and_delivered_notifications_older_than_the_setting_are_purged(settings, admin):
    settings.NOTIFICATION_RETENTION_DAYS = 30
    old_read = notification(
        admin, age_days=31, read=True, deliveries=[DeliveryState.SENT, DeliveryState.FAILED]
    )
    old_unread = notification(admin, age_days=400, read=False)
    old_still_sending = notification(admin, age_days=31, read=True, deliveries=[DeliveryState.PENDING])
    recent_read = notification(admin, age_days=29, read=True)

    assert purge_expired_data.apply().get() == {"notifications": 1}
    left = set(Notification.objects.values_list("pk", flat=True))
    assert left == {old_unread.pk, old_still_sending.pk, recent_read.pk}
    assert not Delivery.objects.filter(notification_id=old_read.pk).exists()


def test_old_readings_are_purged_but_each_kri_keeps_its_newest(settings, make_kri, officer):
    settings.READING_RETENTION_DAYS = 90
    settings.NOTIFICATION_RETENTION_DAYS = 0
    kri = make_kri()
    ages = list(range(1, READINGS_ALWAYS_KEPT + 51))  # days ago: the newest 90 are in the period
    Reading.objects.bulk_create(
        Reading(kri=kri, value=1, band=Band.GREEN, measured_at=NOW - age * DAY, recorded_at=NOW)
        for age in ages
    )
    assert purge_expired_data.apply().get() == {"readings": 50}
    left = sorted((NOW - at).days for at in Reading.objects.values_list("measured_at", flat=True))
    assert left == ages[:READINGS_ALWAYS_KEPT]


def test_nothing_is_purged_when_retention_is_zero(settings, admin, incident):
    settings.NOTIFICATION_RETENTION_DAYS = 0
    settings.READING_RETENTION_DAYS = 0
    notification(admin, age_days=4000, read=True)
    notifications, entries = Notification.objects.count(), TimelineEntry.objects.count()
    assert purge_expired_data.apply().get() == {}
    assert Notification.objects.count() == notifications
    assert Incident.objects.count() == 1 and TimelineEntry.objects.count() == entries
