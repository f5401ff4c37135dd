"""The demo's supply-chain plan rehearsed at clock rate 3600 from the browser, on a real Celery
worker and beat: its hours become seconds, so the whole plan plays out in under a minute.

The crisis lead declares the drill on the page; tier 1's first task (due after 30 min,
escalating every 30 min) falls due at 0.5 s and escalates at 1 s and 1.5 s; tier 2 starts at
6 s and tier 3 at 48 s. The war room, reloaded as a person would, shows each of these, and the
chief executive finds the level-3 escalation in their inbox, in Chinese. This is the suite's one
real-time run through a whole plan.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from incidents.models import Incident, TimelineEntry
from notifications.models import Notification
from people import demo as demo_people
from people.models import User
from playbooks import demo as demo_playbooks
from playbooks.models import Playbook
from tests.factories import PASSWORD
from tests.incidents.war_room_steps import declare_drill
from tests.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TOLERANCE = 1.0  # seconds, as the issue allows a drill's tier changes


def names(user_ids) -> set[str]:
    return set(User.objects.filter(pk__in=user_ids).values_list("username", flat=True))


def reload_until(page, selector: str, text: str, timeout: float) -> None:
    """Reloads the war room, as someone watching it would, until `selector` shows `text`."""
    deadline = time.monotonic() + timeout
    while text not in "".join(page.locator(selector).all_text_contents()) and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(page.locator(selector)).to_contain_text(text)


def test_a_supply_chain_drill_at_clock_rate_3600_run_from_the_browser(
    stack, signed_in_page, live_server, screenshot_dir
):
    demo_people.load(PASSWORD)
    demo_playbooks.load(PASSWORD)
    plan = Playbook.objects.get(name__contains="Supply-chain break")
    stack.worker("worker")
    stack.beat()
    assert wait_until(lambda: "ready" in stack.log("worker"), timeout=60), stack.log("worker")

    lead = User.objects.get(username="crisis.lead")  # speaks Chinese
    page = signed_in_page(lead)
    title = "演练：核心供应商断供 · Drill: core supplier stops delivering"
    declare_drill(
        page, live_server.url, title=title, severity=1, playbook=plan, commander=lead, button="宣布"
    )
    incident = Incident.objects.get()
    assert (incident.drill, incident.clock_rate) == (True, 3600)
    expect(page.locator(".tier-column.current .tier-key")).to_have_text("T1")
    expect(page.locator(".tier-column.current .task-card.state-open")).to_have_count(4)

    # Tier 1's first task falls due and climbs the three levels within two seconds.
    convene = incident.tasks.get(tier__key="T1", step__order=1)
    card = f"#task-{convene.pk}"
    reload_until(page, f"{card} .level", "3", timeout=15)
    expect(page.locator(card)).to_have_class(re.compile(r"\bescalated\b"))
    page.screenshot(path=screenshot_dir / "drill-escalated-zh.png", full_page=True)
    levels = {
        entry.data["level"]: names(entry.data["notified"])
        for entry in TimelineEntry.objects.filter(incident=incident, data__task=convene.pk)
    }
    crisis_team = {"risk.officer", "crisis.lead"}  # Responsible: the crisis team; Accountable: its lead
    assert levels == {1: crisis_team, 2: {"crisis.lead"}, 3: {"ceo", "cfo"}}

    # The tiers advance by the clock: tier 2 at 6 s, tier 3 at 48 s.
    reload_until(page, ".tier-column.current .tier-key", "T2", timeout=15)
    expect(page.locator(".tier-column.current .task-card.state-open").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "drill-tier-2-zh.png", full_page=True)
    reload_until(page, ".tier-column.current .tier-key", "T3", timeout=60)
    page.screenshot(path=screenshot_dir / "drill-tier-3-zh.png", full_page=True)
    changes = TimelineEntry.objects.filter(incident=incident, type="tier.changed").order_by("seq")
    offsets = {entry.data["to"]: (entry.at - incident.declared_at).total_seconds() for entry in changes}
    assert offsets.keys() == {"T2", "T3"}
    assert abs(offsets["T2"] - 6) <= TOLERANCE and abs(offsets["T3"] - 48) <= TOLERANCE, offsets
    expect(page.locator(".timeline")).to_contain_text("T3")

    # The chief executive was told at level 3, in Chinese, and reads it in the inbox.
    ceo = User.objects.get(username="ceo")
    escalations = Notification.objects.filter(recipient=ceo, incident_id=incident.pk, kind="escalation")
    # (a missed status update reached them too: the drill posts none)
    told = escalations.filter(title__contains="召集危机小组").earliest("id")
    assert "高管" in told.title
    assert escalations.filter(title__contains="状态更新已逾期").exists()
    inbox = signed_in_page(ceo)
    inbox.goto(f"{live_server.url}/notifications/")
    expect(inbox.locator("main")).to_contain_text(told.title)
    inbox.screenshot(path=screenshot_dir / "drill-ceo-inbox-zh.png", full_page=True)
