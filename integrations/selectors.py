"""Reads: integrations, their deliveries and maintenance windows."""

import datetime as dt

from django.db.models import QuerySet

from integrations.models import Delivery, Integration, MaintenanceWindow

# Deliveries shown on an integration's page.
RECENT_DELIVERIES = 50


def integration_list() -> QuerySet[Integration]:
    return Integration.objects.select_related("kri", "playbook", "commander").prefetch_related("risks")


def integration_get(*, integration_id: int) -> Integration:
    return integration_list().get(pk=integration_id)


def deliveries_of(*, integration: Integration) -> QuerySet[Delivery]:
    return integration.deliveries.select_related("incident")


def maintenance_windows_current_and_coming(*, integration: Integration, now: dt.datetime) -> QuerySet:
    return MaintenanceWindow.objects.filter(integration=integration, ends_at__gt=now).order_by("starts_at")
