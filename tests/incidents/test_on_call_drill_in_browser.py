"""Escalation that reaches a person, from the browser, in English and in Chinese, on a real Celery
worker and beat.

The network team's lead sets up its schedule on the pages: a backstop layer (Ann, every day), a
primary layer over it on weekdays (Bo, then Dan, a week each) and an override (Cai, from an hour
ago until three hours from now). The calendar feed of the schedule parses with the icalendar library and
lists the page's shifts. Then the lead declares a drill at clock rate 3600 of a plan whose steps'
Responsible is the team's on-call person: an hour of plan is a second, so Cai is told first at
once, step 1 falls overdue to Cai at 1 s, the override ends about 3 s in and the open tasks pass
to whoever the layers put on call then (Bo on a weekday, Ann at a weekend), and step 2 falls
overdue to them at 10 s. The war room's timeline says each of these.
"""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
from playwright.sync_api import expect

from incidents.models import Incident, TaskAssignment
from notifications.models import Notification
from oncall import selectors
from oncall import services as oncall_services
from oncall.models import Schedule
from people.models import Role, Team
from tests.factories import person, published_plan
from tests.incidents.test_drill_in_browser import reload_until
from tests.incidents.war_room_steps import declare_drill
from tests.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NAMES = {
    "en": {"team": "Network", "ann": "Ann Lee", "bo": "Bo Zhang", "cai": "Cai Wen", "dan": "Dan Wu"},
    "zh-hans": {"team": "网络组", "ann": "李安", "bo": "张博", "cai": "蔡文", "dan": "吴丹"},
}
WORDS = {
    "en": {
        "declare": "Declare",
        "create": "Create the schedule",
        "add_layer": "Add the layer",
        "add_override": "Add the override",
        "found": "{cai} is on call for {team} and is told first about",
        "told": "told {who} first, on call for {team}",
        "handed": "on call for {team} passed from {cai} to {bo}:",
    },
    "zh-hans": {
        "declare": "宣布",
        "create": "创建值班表",
        "add_layer": "添加此轮值层",
        "add_override": "添加此临时替班",
        "found": "{cai}是{team}的值班人，先收到通知：",
        "told": "先通知了{team}的值班人{who}",
        "handed": "{team}的值班已从{cai}交接给{bo}：",
    },
}


def on_call_plan(team, lead) -> dict:
    def step(order: int, title: str, due_after: str) -> dict:
        return {
            "tier": "T1",
            "order": order,
            "title": title,
            "instructions": "",
            "due_after": due_after,
            "escalate_after": "PT12H",
            "raci": {
                "responsible": [{"team": team.pk, "on_call": True}],
                "accountable": {"user": lead.pk},
                "consulted": [],
                "informed": [],
            },
        }

    return {
        "name": "Core network outage",
        "description": "",
        "tiers": [{"key": "T1", "name": "Level 1", "starts_after": "PT0S", "ends_after": None}],
        "steps": [step(1, "Fail over to the backup link", "PT1H"), step(2, "Tell the branches", "PT10H")],
    }


def add_layer(page, name: str, people: list, *, priority: int, unit: str, words: dict, weekdays=()) -> None:
    form = page.locator("#add-layer form")
    form.locator("#id_name").fill(name)
    for turn, someone in enumerate(people, start=1):
        form.locator(f"#id_person_{turn}").select_option(str(someone.pk))
    form.locator("#id_priority").fill(str(priority))
    form.locator("#id_start_date").fill(dt.date.today().isoformat())
    form.locator("#id_handoff_time").fill("00:00")
    form.locator("#id_shift_unit").select_option(unit)
    for day in weekdays:
        form.locator(f"input[name=weekdays][value='{day}']").check()
    form.get_by_role("button", name=words["add_layer"]).click()
    page.wait_for_load_state()
    expect(page.locator(".oncall-legend")).to_contain_text(name)


def page_shifts(page) -> list[tuple[dt.datetime, dt.datetime, str]]:
    rows = page.locator(".oncall-days .oncall-shift").evaluate_all(
        """items => items.map(item => {
            const who = item.cloneNode(true);
            who.querySelectorAll("span").forEach(span => span.remove());
            const [start, end] = [...item.querySelectorAll("time")].map(t => t.getAttribute("datetime"));
            return [start, end, who.textContent.trim()];
        })"""
    )
    return [
        (dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), who) for start, end, who in rows
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_drill_escalates_to_whoever_is_on_call_at_plan_time_then_to_the_next(
    stack, signed_in_page, live_server, screenshot_dir, language
):
    names, words = NAMES[language], WORDS[language]
    team = Team.objects.create(slug="network", name=names["team"])
    crew = {}
    for key in ("ann", "bo", "cai", "dan"):
        crew[key] = person(Role.RESPONDER, key, teams=[team], first_name=names[key], language=language)
    lead = person(Role.RESPONDER, "net.lead", teams=[team], language=language, timezone="Asia/Shanghai")
    team.escalation_contact = lead
    team.save()
    plan = published_plan(on_call_plan(team, lead), lead)
    stack.worker("worker")
    stack.beat()
    assert wait_until(lambda: "ready" in stack.log("worker"), timeout=60), stack.log("worker")

    # The schedule, set up on the pages: two layers and an override.
    page = signed_in_page(lead)
    page.goto(f"{live_server.url}/oncall/")
    page.select_option("#id_team", str(team.pk))
    page.fill("#id_name", f"{names['team']} primary")
    page.get_by_role("button", name=words["create"]).click()
    page.wait_for_url(re.compile(r"/oncall/\d+/$"))
    add_layer(page, "Backstop", [crew["ann"]], priority=1, unit="days", words=words)
    add_layer(
        page, "Primary", [crew["bo"], crew["dan"]], priority=2, unit="weeks", words=words, weekdays=range(5)
    )
    now = dt.datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    override = page.locator("#add-override form")
    override.locator("#id_person").select_option(str(crew["cai"].pk))
    override.locator("#id_starts_at").fill((now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    override.locator("#id_ends_at").fill((now + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    override.get_by_role("button", name=words["add_override"]).click()
    page.wait_for_load_state()
    expect(page.locator(".oncall-days .oncall-shift.override").first).to_contain_text(names["cai"])
    page.screenshot(path=screenshot_dir / f"oncall-schedule-{language}.png", full_page=True)

    # The calendar feed parses with a standard library and holds the page's shifts.
    schedule = Schedule.objects.get(team=team)
    token = oncall_services.feed_reset(by=lead, schedule=schedule)
    feed = page.request.get(f"{live_server.url}/oncall/feeds/{token}.ics")
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    in_feed = {(event.decoded("dtstart"), event.decoded("dtend")): str(event["summary"]) for event in events}
    shown = page_shifts(page)
    assert {who for _, _, who in shown} >= {names["ann"], names["bo"], names["cai"]}
    for start, end, who in shown[1:-1]:  # the first and last are cut at the page's window
        assert who in in_feed[start, end], (start, end, who)
    inside = [span for span in in_feed if shown[1][0] <= span[0] and span[1] <= shown[-2][1]]
    assert len(inside) == len(shown) - 2

    # The drill, declared on the page at clock rate 3600.
    title = "Drill: core network outage"
    declare_drill(
        page, live_server.url, title=title, severity=4, playbook=plan, commander=lead, button=words["declare"]
    )
    incident = Incident.objects.get()
    first, second = incident.tasks.order_by("step__order")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(words["found"].format(**names))
    # Who the layers put on call once the override ends, at plan time.
    after = selectors.on_call(team_id=team.pk, at=now + dt.timedelta(hours=3, minutes=1)).person
    assert after in (crew["ann"], crew["bo"])
    following = {**names, "bo": str(after)}
    told = words["told"]

    # Step 1 falls due at 1 s: the override's Cai is told, not Ann, Bo or Dan.
    reload_until(page, ".timeline", told.format(who=names["cai"], team=names["team"]), timeout=15)
    overdue = Notification.objects.filter(incident_id=incident.pk, kind="task.overdue", task_id=first.pk)
    assert set(overdue.values_list("recipient__username", flat=True)) == {"cai", "net.lead"}

    # The override ends 3 h of plan in: both open tasks pass to the next person, who is told.
    reload_until(page, ".timeline", words["handed"].format(**following), timeout=15)
    on_call_now = TaskAssignment.objects.filter(on_call=True).values_list("on_call_person", flat=True)
    assert set(on_call_now) == {after.pk}
    handed = Notification.objects.get(incident_id=incident.pk, kind="task.opened", recipient=after)
    assert "Tell the branches" in handed.body

    # Step 2 falls due at 10 s: now the next person is told, not Cai.
    reload_until(page, ".timeline", told.format(who=following["bo"], team=names["team"]), timeout=20)
    overdue = Notification.objects.filter(incident_id=incident.pk, kind="task.overdue", task_id=second.pk)
    assert set(overdue.values_list("recipient__username", flat=True)) == {after.username, "net.lead"}
    expect(page.locator(f"#task-{second.pk} .party-on-call")).to_contain_text(following["bo"])
    page.screenshot(path=screenshot_dir / f"on-call-drill-{language}.png", full_page=True)
