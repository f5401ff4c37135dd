"""In the browser, in both languages: a drill run at clock rate 3600 to its review leaves the register
as it was (every risk compared), e-mails no executive, says DRILL on every notification in every
channel, reminds the commander of status updates at the drill's cadence; the commander changes the
severity, adds a task and cannot resolve without a summary; the review and the risk page show what
the drill would re-rate, and a risk officer applies it with a reason of their own."""

import pytest
from django.core import mail
from django.db.models import Value
from django.db.models.functions import Concat
from playwright.sync_api import expect

from incidents.models import IncidentStatus, TimelineEntry, Timer, TimerKind, TimerState
from incidents.services.cadence import cadence_for
from notifications.models import Channel, Delivery, Notification, WebhookEndpoint
from people.models import User
from tests.factories import H, fire_due, plant_fire, send_deliveries
from tests.incidents.war_room_steps import add_task, change_severity, resolve
from tests.reviews.test_drill_review import register_now

DRILL_MARK = {"en": "[DRILL] ", "zh-hans": "[DRILL 演练] "}


def shoot(page, name: str, screenshot_dir) -> None:
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(screenshot_dir / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.set_viewport_size({"width": 1440, "height": 900})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_drill_run_to_its_review_leaves_the_register_unchanged_and_says_drill_everywhere(
    signed_in_page, live_server, screenshot_dir, cast, playbook, risk, declared_at, chat_bot, language
):
    User.objects.update(email=Concat("username", Value("@example.com")), language=language)
    WebhookEndpoint.objects.create(name="Supply chat", service="json", url=chat_bot.url, team=cast["supply"])
    before = register_now()
    drill = plant_fire(cast, playbook, declared_at, risks=[risk], drill=True, clock_rate=3600)
    fire_due(declared_at + 100 * H / 3600)  # every tier and escalation of 100 plan hours
    send_deliveries()

    # Every notification, in every channel, says DRILL; nobody is e-mailed by default.
    told = Notification.objects.filter(incident_id=drill.pk)
    assert told.exists() and all(n.title.startswith(DRILL_MARK[language]) for n in told)
    assert not told.filter(recipient=cast["ceo"]).exists()
    assert mail.outbox == [] and not Delivery.objects.filter(channel=Channel.EMAIL).exists()
    assert chat_bot.received and all(p["title"].startswith(DRILL_MARK[language]) for p in chat_bot.received)

    # Status updates are owed at the drill's cadence (SEV1: 30 plan minutes, half a second at 3600×).
    reminder = Timer.objects.get(incident=drill, kind=TimerKind.UPDATE_DUE, level=1)
    assert reminder.due_at == declared_at + cadence_for(1) / 3600
    assert told.filter(recipient=cast["commander"], kind="update.due").count() == 1

    page = signed_in_page(cast["commander"])
    page.goto(f"{live_server.url}/notifications/")
    titles = page.locator("section[aria-labelledby=inbox-list-title] h3").all_inner_texts()
    assert titles and all(DRILL_MARK[language].strip() in title for title in titles if title.strip())
    shoot(page, f"drill-inbox-{language}", screenshot_dir)

    # The commander runs the drill from its war room: a lower severity, a task the plan did not
    # foresee, an update (the next one owed one SEV2 cadence later), and a resolution with a summary.
    page.goto(f"{live_server.url}/incidents/{drill.pk}/")
    change_severity(page, 2, "Only one plant · 仅一家工厂")
    add_task(page, "Call the insurer", f"user:{cast['logistics'].pk}", f"team:{cast['supply'].pk}", 45)
    expect(page.locator(".task-card", has_text="Call the insurer")).to_have_count(1)
    update = page.locator(".status-update form")
    update.locator("textarea[name=what_happened]").fill("The backup pool is on.")
    update.locator("button[name=post-update]").click()
    page.wait_for_load_state()
    posted = TimelineEntry.objects.filter(incident=drill, type="status.update").latest("seq").at
    reminder = Timer.objects.get(incident=drill, kind=TimerKind.UPDATE_DUE, level=1, state=TimerState.PENDING)
    assert reminder.due_at == posted + cadence_for(2) / 3600
    resolve(page, "The drill ran through every tier.", "Drill over")
    drill.refresh_from_db()
    assert (drill.status, drill.severity) == (IncidentStatus.RESOLVED, 2)
    assert drill.resolution_summary == "The drill ran through every tier."

    # The commander completes the review deciding to re-rate the risk to 5×5: the register is unchanged.
    page.goto(f"{live_server.url}/incidents/{drill.pk}/review/")
    expect(page.locator(".drill-note")).to_be_visible()
    prefix = f"#id_risk-{risk.pk}"
    page.fill("#id_summary", "The drill ran through every tier.")
    page.fill("#id_root_cause", "A single source for the main part.")
    page.select_option(f"{prefix}-decision", "rerate")
    page.select_option(f"{prefix}-likelihood", "5")
    page.select_option(f"{prefix}-impact", "5")
    page.fill(f"{prefix}-note", "The backup pool was too thin.")
    page.click("#review-form button[name=complete]")
    proposed = "Proposed by drill" if language == "en" else "的建议"
    expect(page.locator(f"#proposal-{risk.pk}")).to_contain_text(proposed)
    assert register_now() == before
    shoot(page, f"drill-review-{language}", screenshot_dir)

    # The risk page says what the drill would re-rate; a risk officer applies it with a reason.
    officer = signed_in_page(cast["officer"])
    officer.goto(f"{live_server.url}/risks/{risk.pk}/")
    expect(officer.locator(".drill-proposal")).to_contain_text(f"#{drill.pk}")
    shoot(officer, f"drill-risk-proposal-{language}", screenshot_dir)
    officer.goto(f"{live_server.url}/incidents/{drill.pk}/review/")
    officer.click(f"#proposal-{risk.pk} button[name=apply_proposal]")
    expect(officer.locator(f"#proposal-{risk.pk} .errorlist, #proposal-{risk.pk} .errors")).to_be_visible()
    assert register_now() == before
    officer.fill(
        f"#proposal-{risk.pk} textarea[name=reason]", "The drill showed the backup pool is too thin."
    )
    officer.click(f"#proposal-{risk.pk} button[name=apply_proposal]")
    expect(officer.locator(f"#proposal-{risk.pk}")).to_contain_text(cast["officer"].username)
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (5, 5)
    shoot(officer, f"drill-review-applied-{language}", screenshot_dir)
