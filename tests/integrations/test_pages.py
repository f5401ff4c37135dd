"""The integration pages: only risk officers and administrators; a new integration's address and
token shown once; a form refused keeps what was typed; the delivery log in both languages."""

import datetime as dt

import pytest
from django.utils import timezone

from integrations.models import Integration, MaintenanceWindow
from people.models import Role
from tests.fixtures.integrations import example

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_only_risk_officers_and_administrators_open_the_pages(client, make_user, alerts_in):
    sender = alerts_in()
    for role, expected in ((Role.RESPONDER, 403), (Role.EXECUTIVE, 403), (Role.ADMIN, 200)):
        client.force_login(make_user(role))
        for path in ("/integrations/", "/integrations/new/", f"/integrations/{sender.integration.pk}/"):
            assert client.get(path).status_code == expected, (role, path)


def test_a_new_integration_shows_its_address_and_token_once(officer_client, officer, risk):
    form = {
        "name": "Production Alertmanager",
        "kind": "alertmanager",
        "target": "incident",
        "active": "on",
        "playbook": risk.playbook.pk,
        "severity": "1",
        "commander": officer.pk,
        "risks": [risk.pk],
    }
    response = officer_client.post("/integrations/new/", form)
    integration = Integration.objects.get()
    assert response.status_code == 302 and response.url == f"/integrations/{integration.pk}/"
    page = officer_client.get(response.url).content.decode()
    assert "Copy the address now" in page
    address = f"http://testserver/api/v1/integrations/{integration.pk}/alerts/?token="
    token = page.split(address)[1].split("<")[0]
    assert token.endswith(integration.token_hint) and integration.severity == 1
    assert "Copy the address now" not in officer_client.get(response.url).content.decode()  # once

    officer_client.post(f"/integrations/{integration.pk}/reset-token/")
    page = officer_client.get(response.url).content.decode()
    assert token not in page and address in page


def test_a_refused_form_keeps_what_was_typed_and_says_why(officer_client):
    response = officer_client.post(
        "/integrations/new/", {"name": "DAU job", "kind": "heartbeat", "target": "incident", "severity": "2"}
    )
    assert response.status_code == 400 and Integration.objects.count() == 0
    page = response.content.decode()
    assert 'value="DAU job"' in page
    assert "A heartbeat feeds a key risk indicator: each missed ping is a reading." in page
    assert "Say how often the job pings: at least every minute." in page


def test_a_maintenance_window_is_added_on_the_page(officer_client, alerts_in):
    sender = alerts_in()
    now = timezone.localtime()
    path = f"/integrations/{sender.integration.pk}/maintenance-windows/"
    starts, ends = now.strftime("%Y-%m-%dT%H:%M"), (now + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    refused = officer_client.post(path, {"starts_at": starts, "ends_at": starts, "reason": "Upgrade"})
    assert refused.status_code == 400 and "The window must end after it starts." in refused.content.decode()
    assert 'value="Upgrade"' in refused.content.decode()  # what was typed is kept
    response = officer_client.post(path, {"starts_at": starts, "ends_at": ends, "reason": "Database upgrade"})
    assert response.status_code == 302 and MaintenanceWindow.objects.get().reason == "Database upgrade"


def test_the_delivery_log_reads_in_chinese(officer_client, officer, alerts_in):
    sender = alerts_in()
    sender.send(example("alertmanager"))
    sender.send(b"[1, 2")
    officer.language = "zh-hans"
    officer.save(update_fields=["language"])
    page = officer_client.get(f"/integrations/{sender.integration.pk}/").content.decode()
    for words in (
        "最近的投递",
        "已受理",
        "已拒收",
        "请求体不是 JSON",
        "告警中 1 条，已恢复 0 条",
        "由此开启",
    ):
        assert words in page


def test_risk_officers_find_integrations_in_the_bar_and_administrators_in_their_setup_links(
    client, officer, make_user
):
    client.force_login(officer)
    assert "Integrations" in [str(item["label"]) for item in client.get("/risks/").context["nav_items"]]
    client.force_login(make_user(Role.ADMIN))
    assert "Integrations" not in [str(item["label"]) for item in client.get("/risks/").context["nav_items"]]
    assert '<a href="/integrations/">Integrations</a>' in client.get("/").content.decode()
    client.force_login(make_user(Role.RESPONDER))
    assert "Integrations" not in [str(item["label"]) for item in client.get("/risks/").context["nav_items"]]


def test_the_war_room_timeline_names_the_integration_and_its_alerts(officer_client, officer, alerts_in):
    from tests.fixtures.integrations import resolved

    sender = alerts_in()
    incident = sender.send(example("alertmanager"), key="1").body["incident"]
    sender.send(example("alertmanager"), key="2")
    sender.send(resolved(example("alertmanager")), key="3")
    page = officer_client.get(f"/incidents/{incident}/").content.decode()
    assert "declared the incident on behalf of the integration Production Alertmanager: ProbeFailure" in page
    assert "Production Alertmanager: 1 firing, 0 resolved" in page
    assert "every alert from Production Alertmanager resolved" in page
    officer.language = "zh-hans"
    officer.save(update_fields=["language"])
    page = officer_client.get(f"/incidents/{incident}/").content.decode()
    assert (
        "代表集成 Production Alertmanager 宣布了事件" in page
        and "来自 Production Alertmanager 的告警已全部恢复" in page
    )
