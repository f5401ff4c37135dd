"""The incident pages: list, declare form, war room and its fragments, my tasks."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_opens_for_the_commander(client, incident, cast):
    client.force_login(cast["commander"])
    for url in [
        reverse("incident-list"),
        reverse("incident-declare"),
        reverse("my-tasks"),
        reverse("incident-detail", args=[incident.pk]),
        reverse("incident-fragment", args=[incident.pk, "board"]),
    ]:
        assert client.get(url).status_code == 200, url
