# ruff: noqa: F811 - fixtures shared with the live tests
"""The issue's "done when", walked in the demo on a real ASGI server in Chromium: a red DAU reading
posted through the API opens an incident with the DAU risk's playbook, the executive's open
dashboard shows it without a reload, and once it is resolved the review page re-rates the risk
and proposes a better version of the playbook."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from incidents.models import Incident
from indicators.models import KRI
from people.models import User
from playbooks.models import PlaybookStatus
from reviews.models import PlaybookProposal, ReviewStatus
from risks.models import ScoreChange
from tests.factories import elsewhere

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_red_dau_reading_opens_an_incident_seen_live_and_reviewed_into_a_better_playbook(
    demo, asgi_servers, page_on, api, screenshot_dir
):
    person = {user.username: user for user in User.objects.all()}
    dau = KRI.objects.get(name__startswith="Daily active users")
    dau_risk = dau.risks.get()
    server = asgi_servers.start()
    dashboard = page_on(server, person["ceo"])
    dashboard.goto(f"{server.url}/dashboard/")
    expect(dashboard.locator("[data-live-indicator]")).to_have_attribute("data-state", "live")

    # The KRI's owner posts a reading 20 % below the last one: red, and the answer names the incident.
    reading = {"value": round(dau.last_value * 0.8, 1), "measured_at": timezone.now().isoformat()}
    response = elsewhere(
        api.as_user(person["ops.lead"]).post, f"/api/v1/kris/{dau.pk}/readings/", reading, format="json"
    )
    assert response.status_code == 201 and response.json()["band"] == "red"
    incident = Incident.objects.select_related("playbook", "commander").get(pk=response.json()["incident"])
    assert incident.playbook.lineage == dau_risk.playbook.lineage
    assert (
        incident.playbook.status == PlaybookStatus.PUBLISHED
        and "Core-system outage" in incident.playbook.name
    )
    assert incident.commander == dau_risk.owner and list(incident.risks.all()) == [dau_risk]

    row = dashboard.locator(f"article[data-incident='{incident.pk}']")
    expect(row).to_be_visible()  # pushed to the open page: no reload
    with translation.override(person["ceo"].language):
        expect(row).to_contain_text(incident.shown_title)  # in the executive's language
    dashboard.screenshot(path=screenshot_dir / "done-when-dashboard.png", full_page=True)

    commander = incident.commander
    response = elsewhere(api.as_user(commander).post, f"/api/v1/incidents/{incident.pk}/resolve/")
    assert response.status_code == 200
    expect(row).to_have_count(0)  # resolved: off the dashboard, live too

    review = page_on(server, commander)
    review.goto(f"{server.url}/incidents/{incident.pk}/review/")
    yaml = review.input_value("#proposal-form #id_playbook")
    assert "due_after: PT15M" in yaml
    review.fill("#proposal-form #id_rationale", "The first step started too late: 10 minutes, not 15.")
    review.fill("#proposal-form #id_playbook", yaml.replace("due_after: PT15M", "due_after: PT10M", 1))
    review.click("#proposal-form button[name=propose]")
    expect(review.locator("pre.diff .add", has_text="due_after: PT10M")).to_be_visible()

    field = f"#id_risk-{dau_risk.pk}"
    review.fill("#id_summary", "DAU fell 20 % in a day after a release.")
    review.fill("#id_root_cause", "A login change shipped without a canary.")
    review.select_option(f"{field}-decision", "rerate")
    review.select_option(f"{field}-likelihood", "5")
    review.fill(f"{field}-note", "The swing happened: more likely than rated.")
    review.screenshot(path=screenshot_dir / "done-when-review.png", full_page=True)
    review.click("#review-form button[name=complete]")
    expect(review.locator("#review-form")).to_have_count(0)  # completed: the page only reads

    incident.review.refresh_from_db()
    assert incident.review.status == ReviewStatus.COMPLETED
    change = ScoreChange.objects.get(risk=dau_risk, incident_id=incident.pk)
    assert change.after["likelihood"] == 5 and change.by == commander
    proposal = PlaybookProposal.objects.get(review=incident.review)
    assert proposal.used == incident.playbook and proposal.draft.status == PlaybookStatus.DRAFT
    assert proposal.draft.version == incident.playbook.version + 1
