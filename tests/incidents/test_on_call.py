"""A RACI party that is a team's on-call person: who is on call when the task opens is told first,
escalation goes from that person to the team, and a hand-off during an open task moves it to
the next person, once, with the timeline saying so. Time is passed in (plan time for a drill)."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from incidents import services
from incidents.forms import PartyField
from incidents.models import TaskAssignment, TimelineEntry
from incidents.services.on_call import on_call_hand_off
from notifications.models import Notification
from oncall import services as oncall_services
from tests.factories import H, fire_due, plant_fire, published_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_update_cadence")]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 10:00 in Shanghai: the buyer's day (09:00 to 09:00), then the logistician's.
MONDAY_TEN = dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)
TUESDAY_NINE = dt.datetime(2026, 3, 3, 9, tzinfo=SHANGHAI)


def on_call_spec(cast, *, steps_in_t1: int = 1, due_after: str = "PT2H") -> dict:
    """T1 0–30 h, T2 30 h+; each step's Responsible is the supply team's on-call person, its
    Accountable the PR lead; due `due_after` after its tier starts, escalating every hour."""

    def step(tier: str, order: int, title: str) -> dict:
        return {
            "tier": tier,
            "order": order,
            "title": title,
            "instructions": "",
            "due_after": due_after,
            "escalate_after": "PT1H",
            "raci": {
                "responsible": [{"team": cast["supply"].pk, "on_call": True}],
                "accountable": {"user": cast["pr_lead"].pk},
                "consulted": [],
                "informed": [],
            },
        }

    return {
        "name": "Supplier outage, on call first",
        "description": "",
        "tiers": [
            {"key": "T1", "name": "Level 1", "starts_after": "PT0S", "ends_after": "PT30H"},
            {"key": "T2", "name": "Level 2", "starts_after": "PT30H", "ends_after": None},
        ],
        "steps": [
            *(step("T1", order, f"Call the backup suppliers {order}") for order in range(1, steps_in_t1 + 1)),
            step("T2", 1, "Start pre-sale mode"),
        ],
    }


@pytest.fixture
def rotation(cast):
    """The supply team's schedule: the buyer and the logistician take turns, a day each from 09:00."""
    schedule = oncall_services.schedule_create(
        by=None,
        team=cast["supply"],
        name="Supply primary",
        time_zone="Asia/Shanghai",
        working_calendar="weekdays",
    )
    oncall_services.layer_create(
        by=None,
        schedule_id=schedule.pk,
        people=[cast["buyer"], cast["logistics"]],
        name="Daily",
        start_date=dt.date(2026, 3, 2),
        handoff_time=dt.time(9),
        shift_unit="days",
    )
    return schedule


def told(incident, kind) -> set[str]:
    rows = Notification.objects.filter(incident_id=incident.pk, kind=kind)
    return set(rows.values_list("recipient__username", flat=True))


def on_call_person(task) -> str | None:
    assignment = TaskAssignment.objects.get(task=task, on_call=True)
    return assignment.on_call_person.username if assignment.on_call_person else None


def test_the_task_records_who_was_on_call_when_it_opened_and_only_they_hear_of_it(cast, rotation):
    incident = plant_fire(cast, published_plan(on_call_spec(cast), cast["officer"]), MONDAY_TEN)
    task = incident.tasks.get(tier__key="T1")
    pending = incident.tasks.get(tier__key="T2")

    assert on_call_person(task) == "buyer"
    assert on_call_person(pending) is None  # recorded when its tier starts
    assert told(incident, "task.opened") == {"buyer"}
    found = TimelineEntry.objects.get(incident=incident, type="on_call.found")
    assert found.data == {"team": cast["supply"].pk, "person": cast["buyer"].pk, "tasks": [task.pk]}


def test_level_one_reaches_the_on_call_person_not_the_off_duty_ones_then_the_team(cast, rotation):
    incident = plant_fire(cast, published_plan(on_call_spec(cast), cast["officer"]), MONDAY_TEN)

    fire_due(MONDAY_TEN + 2 * H)
    assert told(incident, "task.overdue") == {"buyer", "pr-lead"}  # not logistics, not contact
    overdue = TimelineEntry.objects.get(incident=incident, type="task.overdue")
    assert overdue.data["on_call"] == [{"team": cast["supply"].pk, "person": cast["buyer"].pk}]

    fire_due(MONDAY_TEN + 3 * H)
    assert told(incident, "escalation") == {"buyer", "logistics", "contact", "pr-lead", "commander"}
    level_two = TimelineEntry.objects.get(incident=incident, type="escalation.fired")
    assert level_two.data["teams"] == [cast["supply"].pk]


def test_a_hand_off_during_an_open_task_moves_it_to_the_next_person_once(cast, rotation):
    plan = published_plan(on_call_spec(cast, due_after="P1D"), cast["officer"])  # due Tuesday 10:00
    incident = plant_fire(cast, plan, MONDAY_TEN)
    task = incident.tasks.get(tier__key="T1")
    Notification.objects.all().delete()

    assert services.on_call_sweep(now=TUESDAY_NINE - dt.timedelta(minutes=1)) == 0
    assert services.on_call_sweep(now=TUESDAY_NINE + dt.timedelta(minutes=1)) == 1
    assert services.on_call_sweep(now=TUESDAY_NINE + dt.timedelta(minutes=2)) == 0

    assert on_call_person(task) == "logistics"
    handed = TimelineEntry.objects.get(incident=incident, type="on_call.handed_off")
    assert handed.data == {
        "team": cast["supply"].pk,
        "from": cast["buyer"].pk,
        "to": cast["logistics"].pk,
        "tasks": [task.pk],
    }
    [notice] = Notification.objects.filter(incident_id=incident.pk)
    assert (notice.recipient.username, notice.kind) == ("logistics", "task.opened")
    assert "Call the backup suppliers 1" in notice.body

    # The task's escalations now go to the logistician, no longer to the buyer.
    fire_due(TUESDAY_NINE + H)
    overdue = TimelineEntry.objects.get(incident=incident, type="task.overdue", data__task=task.pk)
    assert overdue.data["on_call"] == [{"team": cast["supply"].pk, "person": cast["logistics"].pk}]
    assert cast["buyer"].pk not in overdue.data["notified"]


def test_two_sweeps_that_saw_the_same_hand_off_move_the_task_once(cast, rotation):
    incident = plant_fire(cast, published_plan(on_call_spec(cast), cast["officer"]), MONDAY_TEN)
    assignment = TaskAssignment.objects.get(task__tier__key="T1", on_call=True)
    moves = {incident.pk: {assignment.pk: (cast["buyer"].pk, cast["logistics"])}}

    assert on_call_hand_off(moves=moves, now=TUESDAY_NINE) == 1
    assert on_call_hand_off(moves=moves, now=TUESDAY_NINE) == 0
    assert TimelineEntry.objects.filter(incident=incident, type="on_call.handed_off").count() == 1


def test_with_nobody_on_call_the_whole_team_is_told_and_the_timeline_says_so(cast):
    incident = plant_fire(cast, published_plan(on_call_spec(cast), cast["officer"]), MONDAY_TEN)
    task = incident.tasks.get(tier__key="T1")

    assert on_call_person(task) is None
    found = TimelineEntry.objects.get(incident=incident, type="on_call.found")
    assert found.data["person"] is None
    assert told(incident, "task.opened") == {"buyer", "logistics", "contact"}
    fire_due(MONDAY_TEN + 2 * H)
    assert told(incident, "task.overdue") == {"buyer", "logistics", "contact", "pr-lead"}
    overdue = TimelineEntry.objects.get(incident=incident, type="task.overdue")
    assert overdue.data["on_call"] == [{"team": cast["supply"].pk, "person": None}]


def test_a_drill_reads_the_schedule_at_plan_time(cast, rotation):
    """At clock rate 3600 an hour of plan is a second: Tuesday's 09:00 hand-off comes 23 s after a
    drill declared on Monday at 10:00."""
    plan = published_plan(on_call_spec(cast), cast["officer"])
    drill = plant_fire(cast, plan, MONDAY_TEN, drill=True, clock_rate=3600)
    first, second = drill.tasks.get(tier__key="T1"), drill.tasks.get(tier__key="T2")
    assert on_call_person(first) == "buyer"

    assert services.on_call_sweep(now=MONDAY_TEN + dt.timedelta(seconds=22)) == 0
    assert services.on_call_sweep(now=MONDAY_TEN + dt.timedelta(seconds=24)) == 1
    assert on_call_person(first) == "logistics"
    fire_due(MONDAY_TEN + dt.timedelta(seconds=30))  # tier 2 opens at plan time Tuesday 16:00
    assert on_call_person(second) == "logistics"


def test_the_sweep_costs_the_same_queries_for_one_task_or_ten(cast, rotation):
    def sweep_queries(steps: int) -> int:
        plant_fire(cast, published_plan(on_call_spec(cast, steps_in_t1=steps), cast["officer"]), MONDAY_TEN)
        with CaptureQueriesContext(connection) as queries:
            services.on_call_sweep(now=TUESDAY_NINE + H)
        return len(queries)

    one = sweep_queries(1)
    assert sweep_queries(10) == one


def test_a_task_added_during_the_incident_may_go_to_the_on_call_person(cast, rotation):
    incident = plant_fire(cast, published_plan(on_call_spec(cast), cast["officer"]), MONDAY_TEN)
    Notification.objects.all().delete()
    task = services.task_add(
        incident_id=incident.pk,
        title="Ring the second supplier",
        responsible=[{"team": cast["supply"], "on_call": True}],
        accountable={"user": cast["pr_lead"]},
        escalate_after=H,
        due_after=H,
        by=cast["commander"],
        now=MONDAY_TEN + H,
    )
    assert on_call_person(task) == "buyer"
    assert told(incident, "task.opened") == {"buyer"}  # not the off-duty logistician
    found = TimelineEntry.objects.filter(incident=incident, type="on_call.found").latest("seq")
    assert found.data == {"team": cast["supply"].pk, "person": cast["buyer"].pk, "tasks": [task.pk]}

    fire_due(MONDAY_TEN + 2 * H)
    assert "logistics" not in told(incident, "task.overdue")


def test_an_open_task_reassigned_to_the_on_call_person_records_who_it_is(cast, rotation):
    incident = plant_fire(cast, published_plan(on_call_spec(cast), cast["officer"]), MONDAY_TEN)
    task = incident.tasks.get(tier__key="T1")
    services.task_reassign(
        task_id=task.pk,
        by=cast["commander"],
        accountable={"team": cast["supply"], "on_call": True},
        now=TUESDAY_NINE + H,
    )
    accountable = TaskAssignment.objects.get(task=task, role="accountable")
    assert (accountable.on_call, accountable.on_call_person) == (True, cast["logistics"])  # Tuesday's
    reassigned = TimelineEntry.objects.get(incident=incident, type="task.reassigned")
    assert reassigned.data["accountable"] == {"team": cast["supply"].pk, "on_call": True}
    found = TimelineEntry.objects.filter(incident=incident, type="on_call.found").latest("seq")
    assert found.data["person"] == cast["logistics"].pk


def test_those_an_open_task_is_handed_to_are_told_and_whoever_handed_it_over_is_not(cast, rotation):
    incident = plant_fire(cast, published_plan(on_call_spec(cast), cast["officer"]), MONDAY_TEN)
    task, pending = incident.tasks.get(tier__key="T1"), incident.tasks.get(tier__key="T2")
    Notification.objects.all().delete()
    services.task_reassign(
        task_id=task.pk,
        by=cast["commander"],
        responsible=[{"user": cast["pr_lead"]}, {"user": cast["commander"]}],
        accountable={"team": cast["supply"], "on_call": True},
        now=TUESDAY_NINE + H,
    )
    told_now = dict(Notification.objects.values_list("recipient__username", "title"))
    assert told_now.keys() == {"pr-lead", "logistics"}  # Tuesday's on-call person, not the commander
    assert told_now["pr-lead"].endswith(f"“{task.title}” was reassigned to you")
    assert told_now["logistics"].endswith(f"you are now accountable for “{task.title}”")
    [notice] = Notification.objects.filter(recipient=cast["pr_lead"])
    assert notice.task_id == task.pk  # with its acknowledge link

    Notification.objects.all().delete()
    services.task_reassign(
        task_id=pending.pk,
        by=cast["commander"],
        responsible=[{"user": cast["pr_lead"]}],
        now=TUESDAY_NINE + H,
    )
    assert not Notification.objects.exists()  # told when its tier starts, as everyone of it


def test_the_api_and_the_war_room_name_the_on_call_party_and_refuse_a_person_on_call(api, cast, rotation):
    incident = plant_fire(cast, published_plan(on_call_spec(cast), cast["officer"]), MONDAY_TEN)
    commander = api.as_user(cast["commander"])
    body = {
        "title": "Ring the second supplier",
        "responsible": [{"team": cast["supply"].pk, "on_call": True}],
        "accountable": {"user": cast["pr_lead"].pk},
        "due_after": "PT1H",
        "escalate_after": "PT1H",
    }
    refused = commander.post(
        f"/api/v1/incidents/{incident.pk}/tasks/",
        {**body, "accountable": {"user": cast["pr_lead"].pk, "on_call": True}},
        format="json",
    )
    assert refused.status_code == 400 and "on_call" in str(refused.json())
    assert incident.tasks.count() == 2
    added = commander.post(f"/api/v1/incidents/{incident.pk}/tasks/", body, format="json")
    assert added.status_code == 201, added.json()
    [responsible] = added.json()["raci"]["responsible"]
    assert responsible["team"] == cast["supply"].pk and responsible["on_call"] is True

    assert PartyField().clean(f"oncall:{cast['supply'].pk}") == {"team": cast["supply"], "on_call": True}
    page = Client()
    page.force_login(cast["commander"])
    assert f'value="oncall:{cast["supply"].pk}"' in page.get(f"/incidents/{incident.pk}/").content.decode()
