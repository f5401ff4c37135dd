"""The incident pages in headless Chromium, in English and in Chinese: declare a drill, work a task."""

import re

import pytest
from playwright.sync_api import expect

from incidents.models import Incident, TaskState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "declare": "Declare",
        "heading": "Declare an incident",
        "done": "Done",
        "acknowledged": "Acknowledged",
    },
    "zh-hans": {"declare": "宣布", "heading": "宣布事件", "done": "已完成", "acknowledged": "已确认"},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_declare_a_drill_and_work_a_task_from_the_war_room(
    signed_in_page, live_server, screenshot_dir, cast, playbook, language
):
    words = WORDS[language]
    commander = cast["commander"]
    commander.language, commander.timezone = language, "Asia/Shanghai"
    commander.save()

    page = signed_in_page(commander)
    page.goto(f"{live_server.url}/incidents/declare/")
    expect(page.locator("h1")).to_have_text(words["heading"])
    page.fill("#id_title", "Main supplier plant fire · 主要供应商工厂火灾")
    page.select_option("#id_severity", "1")
    page.select_option("#id_playbook", str(playbook.pk))
    page.select_option("#id_commander", str(commander.pk))
    page.check("#id_drill")
    page.fill("#id_clock_rate", "60")
    page.screenshot(path=screenshot_dir / f"incident-declare-{language}.png", full_page=True)
    page.locator("main").get_by_role("button", name=words["declare"], exact=True).click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))

    incident = Incident.objects.get()
    assert (incident.drill, incident.clock_rate) == (True, 60)
    expect(page.locator(".drill-banner")).to_be_visible()
    current = page.locator(".tier-column.current")
    expect(current.locator(".task-card.state-open")).to_have_count(1)
    expect(page.locator(".tier-column:not(.current) .task-card.state-pending")).to_have_count(2)
    expect(current.locator(".countdown").first).not_to_be_empty()  # ticking in the browser
    expect(page.locator("#live-status")).not_to_be_empty()
    page.screenshot(path=screenshot_dir / f"incident-war-room-{language}.png", full_page=True)

    card = current.locator(".task-card").first
    card.locator("button[name=acknowledge]").click()
    page.wait_for_load_state()
    card = page.locator(".tier-column.current .task-card").first
    expect(card.locator(".state")).to_have_text(words["acknowledged"])

    card.locator("summary[data-action=complete]").click()
    card.locator("input[name=note]").fill("Backup pool switched · 已切换备用供应商")
    card.locator("button[name=complete]").click()
    page.wait_for_load_state()
    card = page.locator(".tier-column.current .task-card").first
    expect(card.locator(".state")).to_have_text(words["done"])
    expect(page.locator(".timeline")).to_contain_text("Backup pool switched")
    assert incident.tasks.filter(state=TaskState.DONE).count() == 1
    page.screenshot(path=screenshot_dir / f"incident-war-room-worked-{language}.png", full_page=True)

    page.goto(f"{live_server.url}/incidents/")
    expect(page.locator("table.incident-list .badge.drill")).to_have_count(1)
    page.screenshot(path=screenshot_dir / f"incident-list-{language}.png", full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_my_tasks_with_countdowns_and_quick_actions(
    signed_in_page, live_server, screenshot_dir, cast, incident, language
):
    buyer = cast["buyer"]
    buyer.language = language
    buyer.save()
    page = signed_in_page(buyer)
    page.goto(f"{live_server.url}/incidents/mine/")
    expect(page.locator("li.my-task")).to_have_count(1)
    expect(page.locator("li.my-task .countdown").first).not_to_be_empty()
    page.screenshot(path=screenshot_dir / f"incident-my-tasks-{language}.png", full_page=True)
    page.locator("li.my-task button[name=acknowledge]").click()
    page.wait_for_url(f"{live_server.url}/incidents/mine/")
    expect(page.locator("li.my-task.state-acknowledged")).to_have_count(1)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_reassign_a_task_to_another_team_from_the_war_room(
    signed_in_page, live_server, screenshot_dir, cast, incident, language
):
    """The page carries the teams and people once; a reassign form gets them when it is opened."""
    commander = cast["commander"]
    commander.language = language
    commander.save()
    task = incident.tasks.get(state=TaskState.OPEN)

    page = signed_in_page(commander)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    card = page.locator(f"#task-{task.pk}")
    reassign = card.locator("form", has=page.locator("button[name=reassign]"))
    responsible = reassign.locator("select[name=responsible]")
    expect(responsible.locator("option")).to_have_count(1)  # "(no change)", until the form opens
    card.locator("summary[data-action=reassign]").click()
    teams, people = 2, len(cast) - 2
    expect(responsible.locator("option")).to_have_count(1 + teams + teams + people)  # each team, its on-call
    expect(responsible.locator(f"option[value='oncall:{cast['pr'].pk}']")).to_have_count(1)
    responsible.select_option(f"team:{cast['pr'].pk}")
    reassign.locator("input[name=reason]").fill("PR owns it now · 公关部接手")
    page.screenshot(path=screenshot_dir / f"incident-reassign-{language}.png", full_page=True)
    reassign.locator("button[name=reassign]").click()
    page.wait_for_load_state()

    expect(page.locator(f"#task-{task.pk} .raci-responsible")).to_have_text(re.compile(r"PR"))
    assert list(task.assignments.filter(role="responsible").values_list("team__slug", flat=True)) == ["pr"]
    expect(page.locator(".timeline")).to_contain_text("PR owns it now")
