"""The issue's "done when", over HTTP on a running server: the senders' documented Alertmanager and
Grafana examples open one incident from the playbook, a repeat adds to its timeline, a resolved
notice is recorded, a maintenance window holds one back; a heartbeat that stops opens a breach
once; a KRI fed by generic JSON goes red and acts once per breach; wrong secrets and malformed
bodies are refused and logged; the integration's page shows the deliveries in both languages."""

import datetime as dt
import json
import urllib.error
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident, IncidentStatus
from indicators.models import Breach
from integrations.heartbeats import heartbeats_check
from integrations.models import Delivery, Kind, Outcome
from integrations.services import maintenance_window_add
from tests.fixtures.integrations import example, resolved

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
MINUTE = dt.timedelta(minutes=1)


def post(server, sender, body, *, token=None, key="", bearer=False) -> tuple[int, dict]:
    """POSTs as the sender would: the token in the URL, or in the Authorization header."""
    token = sender.token if token is None else token
    url = f"{server.url}/api/v1/integrations/{sender.integration.pk}/alerts/"
    headers = {"Content-Type": "application/json"}
    if bearer:
        headers["Authorization"] = f"Bearer {token}"
    else:
        url += f"?token={token}"
    if key:
        headers["Idempotency-Key"] = key
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


WORDS = {
    "en": ("Recent deliveries", "Accepted", "Rejected", "The body is not JSON"),
    "zh-hans": ("最近的投递", "已受理", "已拒收", "请求体不是 JSON"),
}


def test_alerts_in_over_http(
    asgi_servers, page_on, alerts_in, kri_in, make_kri, officer, risk, screenshot_dir
):
    server = asgi_servers.start()
    alertmanager = alerts_in()

    # A firing group opens one incident with the playbook; the sender's repeat adds to its timeline.
    status, body = post(server, alertmanager, example("alertmanager"))
    assert status == 200 and body["outcome"] == "accepted"
    incident = Incident.objects.get(pk=body["incident"])
    assert incident.playbook.lineage == risk.playbook.lineage
    status, repeat = post(server, alertmanager, example("alertmanager"), key="repeat-1", bearer=True)
    assert (status, repeat["incident"]) == (200, incident.pk)
    assert incident.timeline.filter(type="alert.received").count() == 1
    # A retry of the same delivery does nothing more.
    status, retry = post(server, alertmanager, example("alertmanager"), key="repeat-1")
    assert (status, retry["outcome"]) == (200, "duplicate")
    # The resolved notice is recorded; the incident stays active until its commander resolves it.
    status, notice = post(server, alertmanager, resolved(example("alertmanager")))
    assert status == 200 and incident.timeline.filter(type="alert.resolved").count() == 1
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE and Incident.objects.count() == 1

    # Grafana's example during a maintenance window: recorded, held back.
    grafana = alerts_in(kind=Kind.GRAFANA, name="Grafana")
    now = timezone.now()
    maintenance_window_add(
        integration=grafana.integration,
        by=officer,
        starts_at=now - MINUTE,
        ends_at=now + 30 * MINUTE,
        reason="Grafana upgrade",
        now=now,
    )
    status, held = post(server, grafana, example("grafana"))
    assert (status, held["outcome"], held["incident"]) == (202, "held", None)
    assert Incident.objects.count() == 1

    # A heartbeat that stops opens a breach once.
    job = make_kri(name="DAU job: missed pings", amber=0, red=1, on_red="open_incident")
    heartbeat = kri_in(job, kind=Kind.HEARTBEAT, name="DAU job heartbeat", ping_every=10 * MINUTE)
    assert post(server, heartbeat, b"")[0] == 200
    later = timezone.now() + 25 * MINUTE
    assert heartbeats_check(now=later) == [heartbeat.integration.pk]
    assert heartbeats_check(now=later) == []
    assert Breach.objects.filter(kri=job).count() == 1 and Incident.objects.count() == 2

    # A KRI fed by generic JSON goes red and acts once per breach.
    dau = make_kri(on_red="open_incident")
    script = kri_in(dau, value_path="$.dau")
    red = post(server, script, {"dau": 95})[1]
    assert red["band"] == "red" and red["incident"] is not None
    assert post(server, script, {"dau": 97})[1]["incident"] == red["incident"]
    assert Breach.objects.get(kri=dau).incident is not None and Incident.objects.count() == 3

    # Wrong secrets and malformed bodies are refused; the malformed one is logged with why.
    assert post(server, alertmanager, example("alertmanager"), token="wrong")[0] == 401
    assert post(server, alertmanager, example("alertmanager"), token="wrong", bearer=True)[0] == 401
    status, refused = post(server, alertmanager, b"{alerts: firing}")
    assert status == 400 and refused["detail"].startswith("The body is not JSON")
    alertmanager.integration.refresh_from_db()
    assert alertmanager.integration.refused_count == 2
    assert Delivery.objects.get(pk=refused["delivery"]).outcome == Outcome.REJECTED

    # The page shows the deliveries, in both languages, at a desk and on a phone.
    for language, (heading, accepted, rejected, why) in WORDS.items():
        officer.language = language
        officer.save(update_fields=["language"])
        page = page_on(server, officer)
        for width, height in ((1440, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{server.url}/integrations/{alertmanager.integration.pk}/")
            expect(page.locator(".deliveries h2")).to_have_text(heading)
            rows = page.locator(".delivery-table tbody tr")
            expect(rows).to_have_count(5)
            expect(rows.first).to_contain_text(rejected)
            expect(rows.first).to_contain_text(why)
            expect(rows.last).to_contain_text(accepted)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=screenshot_dir / f"integration-{language}-{width}.png", full_page=True)
        assert page.evaluate("window.__violations") == []
