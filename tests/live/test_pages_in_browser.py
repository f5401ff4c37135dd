"""The dashboard and a team's page in Chromium, on a real ASGI server: they change without reload."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents import services
from notifications.models import DrillChoice
from notifications.services import drill_preference_set, notify
from people.models import Role
from tests.factories import elsewhere
from tests.processes import wait_until
from tests.servers import Script, declare_drill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITHIN_A_SECOND = 1000
TIMERS_PATIENCE = 60_000  # ms; the drill's timers fire at 2-6 s, later on a loaded machine


@pytest.fixture
def late_drill(playbook, cast):
    """A drill declared 3 hours ago: its tier-1 step (due after 2 h) is overdue."""
    return services.incident_declare(
        title="Plant fire drill",
        severity=1,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        drill=True,
        now=timezone.now() - dt.timedelta(hours=3),
    )


def row(page, incident):
    return page.locator(f"[data-incident='{incident.pk}']")


def show_drills(page):
    """Drills are kept apart on the dashboard, behind a toggle."""
    page.locator(".cockpit-drills summary").click()


def test_a_task_completed_through_the_api_shows_on_the_dashboard_within_a_second(
    matrix, asgi_servers, page_on, late_drill, cast, api, screenshot_dir
):
    server = asgi_servers.start()
    page = page_on(server, cast["ceo"])
    page.goto(f"{server.url}/dashboard/")
    expect(page.locator("[data-live-indicator]")).to_have_attribute("data-state", "live")
    show_drills(page)
    expect(row(page, late_drill).locator("[data-overdue]")).to_have_text("1")
    expect(row(page, late_drill).locator(".badge.drill")).to_be_visible()
    expect(page.locator("table.live-heatmap td")).to_have_count(25)
    page.screenshot(path=screenshot_dir / "live-dashboard-en.png", full_page=True)

    task = late_drill.tasks.get(title="Switch to the backup-supplier pool")
    response = elsewhere(
        api.as_user(cast["buyer"]).post, f"/api/v1/tasks/{task.pk}/complete/", {"note": "ok"}, format="json"
    )
    assert response.status_code == 200
    expect(row(page, late_drill).locator("[data-overdue]")).to_have_text("0", timeout=WITHIN_A_SECOND)
    expect(page.locator("[data-figure='overdue']")).to_have_text("0", timeout=WITHIN_A_SECOND)


def test_a_drills_tier_change_appears_live_in_chinese(
    matrix, asgi_servers, page_on, late_drill, cast, api, screenshot_dir
):
    cast["officer"].language = "zh-hans"
    cast["officer"].save()
    server = asgi_servers.start()
    page = page_on(server, cast["officer"])
    page.goto(f"{server.url}/dashboard/")
    expect(page.locator("h1")).to_have_text("高管驾驶舱")
    expect(page.locator("[data-live-indicator] .label")).to_have_text("实时")
    show_drills(page)
    expect(row(page, late_drill).locator("[data-tier]")).to_contain_text("T1")

    response = elsewhere(
        api.as_user(cast["commander"]).post, f"/api/v1/incidents/{late_drill.pk}/advance-tier/"
    )
    assert response.status_code == 200
    expect(row(page, late_drill).locator("[data-tier]")).to_contain_text("T2", timeout=WITHIN_A_SECOND)
    expect(page.locator("table.live-heatmap")).to_be_visible()
    page.screenshot(path=screenshot_dir / "live-dashboard-zh.png", full_page=True)


def test_the_page_recovers_after_the_server_drops_the_socket(asgi_servers, page_on, late_drill, cast):
    server = asgi_servers.start()
    page = page_on(server, cast["ceo"])
    page.goto(f"{server.url}/dashboard/")
    indicator = page.locator("[data-live-indicator]")
    expect(indicator).to_have_attribute("data-state", "live")
    show_drills(page)

    server.stop()
    expect(indicator).to_have_attribute("data-state", "offline")
    elsewhere(services.incident_advance_tier, incident_id=late_drill.pk, by=cast["commander"])  # missed
    asgi_servers.start(port=server.port)
    expect(indicator).to_have_attribute("data-state", "live", timeout=20_000)
    expect(row(page, late_drill).locator("[data-tier]")).to_contain_text("T2")

    task = late_drill.tasks.get(title="Switch to the backup-supplier pool")
    elsewhere(services.task_complete, task_id=task.pk, by=cast["buyer"])
    expect(row(page, late_drill).locator("[data-overdue]")).to_have_text("0", timeout=WITHIN_A_SECOND)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_team_page_shows_what_is_ours_now(
    asgi_servers, page_on, late_drill, cast, make_user, language, screenshot_dir
):
    member = make_user(Role.RESPONDER, teams=[cast["supply"]], language=language)
    server = asgi_servers.start()
    page = page_on(server, member)
    page.goto(f"{server.url}/teams/{cast['supply'].pk}/now/")
    expect(page.locator("[data-live-indicator]")).to_have_attribute("data-state", "live")
    tasks = page.locator("tr[data-task]")
    expect(tasks).to_have_count(1)
    page.screenshot(path=screenshot_dir / f"live-team-now-{language}.png", full_page=True)

    task = late_drill.tasks.get(title="Switch to the backup-supplier pool")
    elsewhere(services.task_complete, task_id=task.pk, by=cast["buyer"])
    expect(tasks).to_have_count(0, timeout=WITHIN_A_SECOND)


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Notifications: 1 unread"), ("zh-hans", "通知：1 条未读")]
)
def test_the_bell_counts_a_new_notification_without_reload(
    asgi_servers, page_on, make_user, language, label, screenshot_dir
):
    person = make_user(Role.RESPONDER, language=language)
    server = asgi_servers.start()
    page = page_on(server, person)
    bell = page.locator("[data-bell]")
    expect(bell).to_have_attribute("data-state", "live")
    expect(bell.locator("[data-bell-count]")).to_be_hidden()

    elsewhere(notify, recipients=[person], kind="escalation", title="Level 2: Supply chain")
    expect(bell.locator("[data-bell-count]")).to_have_text("1", timeout=WITHIN_A_SECOND)
    expect(bell).to_have_attribute("aria-label", label)
    page.screenshot(path=screenshot_dir / f"live-bell-{language}.png")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "heading", "calm"),
    [
        ("en", "Executive dashboard", "No live incident. Everything is calm."),
        ("zh-hans", "高管驾驶舱", "当前没有进行中的事件，一切平稳。"),
    ],
)
def test_an_executive_watches_a_whole_drill_live_in_their_language(
    matrix, redis, workers, asgi_servers, page_on, playbook, cast, language, heading, calm, screenshot_dir
):
    """Declared, overdue, escalated to executives, tier 2, a task completed, resolved: the
    workers fire the timers, the API takes the actions, the dashboard is never reloaded."""
    cast["ceo"].language = language
    cast["ceo"].save()
    # By default a drill tells only its own people; this executive chose to hear about drills.
    drill_preference_set(user=cast["ceo"], by=cast["ceo"], choice=DrillChoice.ALL)
    server = asgi_servers.start(redis_url=redis.url)
    officer = Script.of(server, cast["officer"])
    assert wait_until(lambda: officer.call("GET", "/healthz")[0] == 200, timeout=60, stack=workers)
    page = page_on(server, cast["ceo"])
    page.goto(f"{server.url}/dashboard/")
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("[data-live-indicator]")).to_have_attribute("data-state", "live")
    expect(page.get_by_text(calm)).to_be_visible()

    drill = declare_drill(officer, playbook, cast["commander"])
    expect(page.locator(".cockpit-drills summary")).to_be_visible(timeout=WITHIN_A_SECOND)
    show_drills(page)
    line = page.locator(f"article[data-incident='{drill['id']}']")
    expect(line.locator("[data-tier]")).to_contain_text("T1", timeout=WITHIN_A_SECOND)
    expect(line.locator("[data-overdue]")).to_have_text("1", timeout=TIMERS_PATIENCE)
    expect(line.locator("[data-escalations]")).to_have_text("1", timeout=TIMERS_PATIENCE)
    expect(page.locator("[data-bell-count]")).to_be_visible()  # the executives were told
    expect(line.locator("[data-tier]")).to_contain_text("T2", timeout=TIMERS_PATIENCE)
    page.screenshot(path=screenshot_dir / f"live-drill-dashboard-{language}.png", full_page=True)

    tasks = {task["tier"]: task["id"] for task in drill["tasks"]}
    Script.of(server, cast["buyer"]).post(f"/api/v1/tasks/{tasks['T1']}/complete/", {"note": "pool on"})
    expect(line.locator("[data-overdue]")).to_have_text("0", timeout=WITHIN_A_SECOND)
    Script.of(server, cast["commander"]).post(f"/api/v1/incidents/{drill['id']}/resolve/")
    expect(page.get_by_text(calm)).to_be_visible(timeout=WITHIN_A_SECOND)
    expect(page.locator("[data-live-indicator]")).to_have_attribute("data-state", "live")
