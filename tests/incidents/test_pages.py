"""The incident pages: who sees what, the declare form, actions through the pages, query counts."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import shared_parts
from incidents import services
from incidents.models import Incident, IncidentStatus, TaskState, TimelineEntry
from playbooks.models import Playbook
from playbooks.services import playbook_create, playbook_publish
from tests.factories import plant_fire, published_plan, supplier_risk, supply_chain_cast, three_tier_spec
from tests.fixtures.database import built_once

pytestmark = pytest.mark.django_db

PAGE_USERS = ["commander", "buyer", "pr_lead", "outsider", "ceo", "officer", "admin"]


def war_room_scene() -> dict:
    """The cast, their plan and their incident: made once for this module's 75 tests."""
    cast = supply_chain_cast()
    playbook = published_plan(three_tier_spec(cast), cast["officer"])
    incident = plant_fire(cast, playbook, timezone.now().replace(microsecond=0))
    return {"cast": cast, "playbook": playbook.pk, "incident": incident.pk}


scene = built_once(war_room_scene, "scene")


@pytest.fixture
def cast(scene):
    """Read again for each test, so that one test's changes in memory never reach the next."""
    return {role: type(thing).objects.get(pk=thing.pk) for role, thing in scene["cast"].items()}


@pytest.fixture
def playbook(scene):
    return Playbook.objects.get(pk=scene["playbook"])


@pytest.fixture
def incident(scene):
    return Incident.objects.get(pk=scene["incident"])


@pytest.fixture
def pool_task(incident):
    return incident.tasks.get(title="Switch to the backup-supplier pool")


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def war_room(incident):
    return reverse("incident-detail", args=[incident.pk])


def task_url(task, action):
    return reverse("task-action", args=[task.pk, action])


def incident_url(incident, action):
    return reverse("incident-action", args=[incident.pk, action])


# --- who may open what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("commander", 200),
        ("buyer", 200),  # Responsible through the supply-chain team
        ("pr_lead", 200),  # Consulted by name
        ("outsider", 404),
        ("ceo", 200),
        ("officer", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("part", [None, "header", "board", "timeline"])
def test_the_war_room_and_its_fragments_per_role(as_user, cast, incident, who, status, part):
    url = war_room(incident) if part is None else reverse("incident-fragment", args=[incident.pk, part])
    assert as_user(cast[who]).get(url).status_code == status


@pytest.mark.parametrize(
    "url_name", ["incident-list", "incident-declare", "my-tasks", "incident-detail", "incident-fragment"]
)
def test_anonymous_people_are_sent_to_sign_in(client, incident, url_name):
    args = {"incident-detail": [incident.pk], "incident-fragment": [incident.pk, "board"]}.get(url_name, [])
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_fragment_is_404(as_user, cast, incident):
    assert as_user(cast["admin"]).get(f"/incidents/{incident.pk}/nonsense/").status_code == 404


def test_the_list_shows_only_visible_incidents_live_first_with_drills_marked(
    as_user, cast, playbook, incident
):
    drill = services.incident_declare(
        title="Tabletop exercise",
        severity=3,
        playbook_id=playbook.pk,
        commander=cast["outsider"],
        declared_by=cast["officer"],
        drill=True,
        clock_rate=60,
    )
    services.incident_resolve(incident_id=incident.pk, by=cast["commander"])

    page = as_user(cast["officer"]).get(reverse("incident-list")).content.decode()
    assert page.index("Tabletop exercise") < page.index("Main supplier plant fire")  # live first
    assert page.count('class="badge drill"') == 1

    page = as_user(cast["buyer"]).get(reverse("incident-list")).content.decode()
    assert "Main supplier plant fire" in page and "Tabletop exercise" in page  # named in both RACIs

    page = as_user(cast["outsider"]).get(reverse("incident-list")).content.decode()
    assert "Tabletop exercise" in page and "Main supplier plant fire" not in page  # commands only the drill

    page = as_user(cast["officer"]).get(reverse("incident-list"), {"status": "resolved"}).content.decode()
    assert "Main supplier plant fire" in page and "Tabletop exercise" not in page
    assert drill.drill


def test_the_list_costs_the_same_queries_for_one_or_many_incidents(
    as_user, cast, playbook, incident, django_assert_num_queries
):
    client = as_user(cast["officer"])
    client.get(reverse("incident-list"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("incident-list"))
    for number in range(5):
        services.incident_declare(
            title=f"Another {number}",
            severity=2,
            playbook_id=playbook.pk,
            commander=cast["commander"],
            declared_by=cast["officer"],
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("incident-list"))


def test_times_are_shown_in_the_viewers_time_zone(as_user, cast, incident):
    viewer = cast["ceo"]
    viewer.timezone = "Asia/Shanghai"
    viewer.save()
    page = as_user(viewer).get(war_room(incident)).content.decode()
    declared = incident.declared_at.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert f'datetime="{declared.isoformat()}"' in page
    assert declared.strftime("%Y-%m-%d %H:%M") in page


# --- which buttons each person is shown -------------------------------------------------------


def buttons(page: str) -> set[str]:
    names = ["acknowledge", "complete", "skip", "reassign", "advance-tier", "stabilize", "resolve", "close"]
    return {name for name in names if f'name="{name}"' in page}


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        (
            "commander",
            {"acknowledge", "complete", "skip", "reassign", "advance-tier", "stabilize", "resolve"},
        ),
        ("admin", {"acknowledge", "complete", "skip", "reassign", "advance-tier", "stabilize", "resolve"}),
        ("buyer", {"acknowledge", "complete", "skip", "reassign"}),  # R and A of T1 through their team
        ("pr_lead", {"skip", "reassign"}),  # Accountable of a pending T2 task; only Consulted in T1
        ("ceo", set()),
        ("officer", set()),
    ],
)
def test_each_person_sees_only_the_buttons_they_may_use(as_user, cast, incident, who, shown):
    assert buttons(as_user(cast[who]).get(war_room(incident)).content.decode()) == shown


def test_the_commander_sees_close_and_reopen_once_resolved(as_user, cast, incident):
    services.incident_resolve(incident_id=incident.pk, by=cast["commander"])
    page = as_user(cast["commander"]).get(war_room(incident)).content.decode()
    assert {"close"} <= buttons(page) and 'name="reopen"' in page
    assert not {"advance-tier", "stabilize", "resolve"} & buttons(page)


# --- the declare form -------------------------------------------------------------------------


def test_declaring_a_drill_from_the_form_opens_its_war_room(as_user, cast, playbook):
    response = as_user(cast["officer"]).post(
        reverse("incident-declare"),
        {
            "title": "Rehearsal",
            "severity": "2",
            "playbook": playbook.pk,
            "commander": cast["commander"].pk,
            "drill": "on",
            "clock_rate": "60",
        },
    )
    incident = Incident.objects.get(title="Rehearsal")
    assert response.status_code == 302 and response.url == war_room(incident)
    assert (incident.drill, incident.clock_rate, incident.declared_by) == (True, 60, cast["officer"])
    assert incident.tasks.filter(state=TaskState.OPEN).count() == 1


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"title": "", "severity": "", "commander": ""}, {"title", "severity", "commander"}),
        ({"clock_rate": "60"}, {"clock_rate"}),  # a fast clock on a real incident
        ({"drill": "on", "clock_rate": "3601"}, {"clock_rate"}),
        ({"clock_rate": "fast"}, {"clock_rate"}),
        ({"playbook": "999999"}, {"playbook"}),
        ({"playbook": ""}, {"playbook"}),
    ],
)
def test_a_bad_declaration_shows_field_errors_and_writes_nothing(as_user, cast, playbook, overrides, fields):
    data = {
        "title": "Plant fire",
        "severity": "1",
        "playbook": playbook.pk,
        "commander": cast["commander"].pk,
        "clock_rate": "1",
        **overrides,
    }
    incidents, entries = Incident.objects.count(), TimelineEntry.objects.count()
    response = as_user(cast["officer"]).post(reverse("incident-declare"), data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == fields
    page = response.content.decode()
    for field in fields:
        assert f'id="{field}-errors"' in page  # shown next to the field
    assert Incident.objects.count() == incidents and TimelineEntry.objects.count() == entries


def test_the_form_offers_only_published_playbooks(as_user, cast, playbook):
    draft = playbook_create(spec={**three_tier_spec(cast), "name": "Draft plan"}, created_by=cast["officer"])
    form = as_user(cast["officer"]).get(reverse("incident-declare")).context["form"]
    assert list(form.fields["playbook"].queryset) == [playbook]
    assert draft.status == "draft"


# --- actions through the pages ----------------------------------------------------------------


def test_acknowledge_and_complete_through_the_war_room(as_user, cast, incident, pool_task):
    client = as_user(cast["buyer"])
    response = client.post(task_url(pool_task, "acknowledge"))
    assert response.status_code == 302 and response.url == f"{war_room(incident)}#task-{pool_task.pk}"
    response = client.post(task_url(pool_task, "complete"), {"note": "Pool switched"})
    assert response.status_code == 302
    pool_task.refresh_from_db()
    assert (pool_task.state, pool_task.note) == (TaskState.DONE, "Pool switched")
    entries = list(
        TimelineEntry.objects.filter(incident=incident).order_by("seq").values_list("type", "actor")
    )
    assert entries[-2:] == [("task.acknowledged", cast["buyer"].pk), ("task.completed", cast["buyer"].pk)]
    page = client.get(war_room(incident)).content.decode()
    assert "Pool switched" in page and "completed" in page


def test_an_illegal_move_is_409_with_a_message_and_changes_nothing(as_user, cast, incident, pool_task):
    services.task_complete(task_id=pool_task.pk, by=cast["buyer"])
    entries = TimelineEntry.objects.count()
    response = as_user(cast["buyer"]).post(task_url(pool_task, "acknowledge"))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'role="alert"' in page and "cannot become" in page
    assert TimelineEntry.objects.count() == entries
    pool_task.refresh_from_db()
    assert pool_task.state == TaskState.DONE


def test_skipping_needs_a_reason(as_user, cast, incident, pool_task):
    client = as_user(cast["buyer"])
    entries = TimelineEntry.objects.count()
    response = client.post(task_url(pool_task, "skip"), {"reason": "  "})
    assert response.status_code == 400 and "Say why the task is skipped." in response.content.decode()
    assert TimelineEntry.objects.count() == entries
    response = client.post(task_url(pool_task, "skip"), {"reason": "Pool already in use"})
    assert response.status_code == 302
    pool_task.refresh_from_db()
    assert (pool_task.state, pool_task.note) == (TaskState.SKIPPED, "Pool already in use")


@pytest.mark.parametrize(
    ("who", "status"), [("commander", 302), ("admin", 302), ("buyer", 403), ("ceo", 403), ("outsider", 404)]
)
def test_advancing_the_tier_per_role(as_user, cast, incident, who, status):
    response = as_user(cast[who]).post(incident_url(incident, "advance-tier"))
    assert response.status_code == status
    incident.refresh_from_db()
    assert incident.current_tier.key == ("T2" if status == 302 else "T1")


@pytest.mark.parametrize(
    ("who", "status"), [("buyer", 302), ("commander", 302), ("pr_lead", 403), ("ceo", 403), ("outsider", 404)]
)
def test_acting_on_a_task_per_role(as_user, cast, pool_task, who, status):
    assert as_user(cast[who]).post(task_url(pool_task, "acknowledge")).status_code == status
    pool_task.refresh_from_db()
    assert pool_task.state == (TaskState.ACKNOWLEDGED if status == 302 else TaskState.OPEN)


def test_the_lifecycle_through_the_header(as_user, cast, incident):
    client = as_user(cast["commander"])
    assert client.post(incident_url(incident, "stabilize")).status_code == 302
    # The war room asks how it was resolved: no summary, no resolution.
    response = client.post(incident_url(incident, "resolve"))
    assert response.status_code == 400 and "Say how the incident was resolved." in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.STABILIZED
    assert client.post(incident_url(incident, "resolve"), {"summary": "Pool delivering"}).status_code == 302
    assert client.post(incident_url(incident, "reopen"), {"reason": ""}).status_code == 400
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED
    assert client.post(incident_url(incident, "stabilize")).status_code == 409  # not from resolved
    assert client.post(incident_url(incident, "reopen"), {"reason": "Supplier relapsed"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE


def test_advancing_past_the_last_tier_is_409(as_user, cast, incident):
    client = as_user(cast["commander"])
    client.post(incident_url(incident, "advance-tier"))
    client.post(incident_url(incident, "advance-tier"))
    entries = TimelineEntry.objects.count()
    response = client.post(incident_url(incident, "advance-tier"))
    assert response.status_code == 409 and "last tier" in response.content.decode()
    assert TimelineEntry.objects.count() == entries


def test_anyone_who_sees_the_incident_posts_status_updates(as_user, cast, incident):
    assert as_user(cast["outsider"]).post(incident_url(incident, "update"), {"body": "Hi"}).status_code == 404
    client = as_user(cast["pr_lead"])
    assert client.post(incident_url(incident, "update"), {"body": ""}).status_code == 400
    assert client.post(incident_url(incident, "update"), {"body": "Statement drafted"}).status_code == 302
    entry = TimelineEntry.objects.filter(incident=incident).latest("seq")
    assert (entry.type, entry.actor, entry.data["body"]) == (
        "status.update",
        cast["pr_lead"],
        "Statement drafted",
    )
    timeline = client.get(reverse("incident-fragment", args=[incident.pk, "timeline"])).content.decode()
    assert timeline.index("Statement drafted") < timeline.index("declared the incident")  # newest first


def test_reassigning_through_the_page(as_user, cast, incident, pool_task):
    client = as_user(cast["buyer"])
    response = client.post(task_url(pool_task, "reassign"), {"responsible": "user:999999"})
    assert response.status_code == 400
    response = client.post(
        task_url(pool_task, "reassign"), {"responsible": f"team:{cast['pr'].pk}", "reason": "PR owns it now"}
    )
    assert response.status_code == 302
    responsible = pool_task.assignments.filter(role="responsible")
    assert [a.team for a in responsible] == [cast["pr"]]
    assert TimelineEntry.objects.filter(type="task.reassigned", actor=cast["buyer"]).count() == 1


def test_a_methods_other_than_post_are_refused(as_user, cast, pool_task):
    assert as_user(cast["buyer"]).get(task_url(pool_task, "acknowledge")).status_code == 405


# --- query counts ---------------------------------------------------------------------------


def declare_with_steps(cast, extra_steps: int) -> Incident:
    spec = {**three_tier_spec(cast, extra_steps_in_t1=extra_steps), "name": f"Plan with {extra_steps}"}
    playbook = playbook_publish(
        playbook=playbook_create(spec=spec, created_by=cast["officer"]), by=cast["officer"]
    )
    return services.incident_declare(
        title="Plant fire",
        severity=1,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
    )


@pytest.mark.parametrize("who", ["commander", "buyer"])
def test_the_war_room_takes_the_same_queries_for_few_or_many_tasks(as_user, cast, who):
    client = as_user(cast[who])
    small, large = declare_with_steps(cast, 0), declare_with_steps(cast, 12)
    rendered, kept = [], []
    for incident in (small, large):
        shared_parts.forget_all()
        for counts in (rendered, kept):  # the first visit renders its parts, the next is given them
            with CaptureQueriesContext(connection) as queries:
                assert client.get(war_room(incident)).status_code == 200
            counts.append(len(queries.captured_queries))
    assert rendered[0] == rendered[1]
    assert kept[0] == kept[1]
    # Given kept parts: session, person, the incident, the last audit entry, the tasks the person
    # or their teams hold, whether they follow it and have a chat for its updates (one), and the
    # bell (the risks a commander may link are asked for when needed). Rendering the parts adds
    # the person's teams (for each task's rights), the incident with its tasks, RACI, linked
    # risks, roles, tiers, the latest update, the timeline, and the teams and people of the
    # reassign forms (both may reassign a task).
    assert kept[1] == 7
    assert rendered[1] == kept[1] + 12


# A live event's fragment, given kept: session, person, the incident, the last audit entry, and
# what of the reader its part shows: the header whether they follow it, the board what they hold.
FRAGMENT_KEPT = {"header": 5, "board": 5, "timeline": 4}


@pytest.mark.parametrize("part", FRAGMENT_KEPT)
def test_a_live_fragment_asks_only_what_its_part_shows_of_the_reader(as_user, cast, incident, part):
    client = as_user(cast["buyer"])
    url = reverse("incident-fragment", args=[incident.pk, part])
    assert client.get(url).status_code == 200  # its part rendered and kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries.captured_queries) == FRAGMENT_KEPT[part]


# --- my tasks -------------------------------------------------------------------------------


def test_my_tasks_lists_what_is_mine_soonest_due_first(as_user, cast, incident, pool_task, playbook):
    other = services.incident_declare(
        title="Second fire",
        severity=2,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        now=incident.declared_at - dt.timedelta(hours=1),
    )
    page = as_user(cast["buyer"]).get(reverse("my-tasks")).content.decode()
    assert page.count('class="card my-task') == 2
    assert page.index("Second fire") < page.index("Main supplier plant fire")
    assert (
        as_user(cast["outsider"]).get(reverse("my-tasks")).content.decode().count('class="card my-task') == 0
    )
    assert other.pk


def test_quick_actions_from_my_tasks_come_back_to_it(as_user, cast, pool_task):
    client = as_user(cast["buyer"])
    response = client.post(task_url(pool_task, "acknowledge"), {"from": "my-tasks"})
    assert response.status_code == 302 and response.url == reverse("my-tasks")
    response = client.post(task_url(pool_task, "acknowledge"), {"from": "my-tasks"})
    assert response.status_code == 409 and 'role="alert"' in response.content.decode()
    assert response.templates[0].name == "incidents/my_tasks.html"


def test_my_tasks_takes_the_same_queries_for_few_or_many_tasks(as_user, cast):
    client = as_user(cast["buyer"])
    declare_with_steps(cast, 0)
    client.get(reverse("my-tasks"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("my-tasks"))
    declare_with_steps(cast, 12)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("my-tasks")).content.decode()
    assert page.count('class="card my-task') == 14 + 1  # and the module's incident's
    assert len(few.captured_queries) == len(many.captured_queries)


# --- the commander's controls ------------------------------------------------------------


COMMAND_FORMS = {
    "severity": lambda cast: {"severity": "2", "reason": "One plant only"},
    "title": lambda cast: {"title": "Plant fire", "reason": "Shorter"},
    "commander": lambda cast: {"user": str(cast["pr_lead"].pk), "reason": "Shift change"},
    "role": lambda cast: {"role": "scribe", "user": str(cast["buyer"].pk)},
    "add-task": lambda cast: {
        "title": "Call the insurer",
        "responsible": f"user:{cast['logistics'].pk}",
        "accountable": f"team:{cast['supply'].pk}",
        "due_in": "45",
        "escalate_after": "30",
    },
}


@pytest.mark.parametrize("action", sorted(COMMAND_FORMS))
@pytest.mark.parametrize(
    ("who", "status"), [("commander", 302), ("admin", 302), ("buyer", 403), ("outsider", 404)]
)
def test_the_commanders_controls_are_the_commanders_and_admins(as_user, cast, incident, action, who, status):
    before = incident.last_seq
    response = as_user(cast[who]).post(incident_url(incident, action), COMMAND_FORMS[action](cast))
    assert response.status_code == status
    incident.refresh_from_db()
    assert (incident.last_seq > before) == (status == 302)


def test_a_bad_command_form_says_why_and_changes_nothing(as_user, cast, incident):
    client = as_user(cast["commander"])
    before = incident.last_seq
    response = client.post(incident_url(incident, "severity"), {"severity": "2", "reason": ""})
    assert response.status_code == 400 and "Say why." in response.content.decode()
    response = client.post(
        incident_url(incident, "add-task"), {**COMMAND_FORMS["add-task"](cast), "title": ""}
    )
    assert response.status_code == 400 and "A title is required." in response.content.decode()
    response = client.post(incident_url(incident, "role"), {"role": "scribe", "user": "999999"})
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.last_seq == before and incident.tasks.count() == 3


def test_the_risks_a_commander_may_link_are_asked_for_when_the_form_opens(as_user, cast, incident):
    from risks.models import Category
    from risks.services import matrix_ensure_default, risk_archive, risk_create

    matrix_ensure_default()
    linked, open_, archived = (
        risk_create(
            by=cast["officer"],
            title=title,
            category=Category.objects.get(key="supply-chain"),
            owner=cast["officer"],
            likelihood=3,
            impact=4,
        )
        for title in ("Linked already", "Open and not linked", "Archived")
    )
    services.incident_link_risk(incident_id=incident.pk, risk=linked, by=cast["commander"])
    risk_archive(risk=archived, by=cast["officer"])
    client = as_user(cast["commander"])
    url = reverse("incident-linkable-risks", args=[incident.pk])
    page = client.get(war_room(incident)).content.decode()
    assert f'data-options-url="{url}"' in page and "Open and not linked" not in page
    options = client.get(url).content.decode()
    assert options == f'<option value="{open_.pk}">{open_.ref} Open and not linked</option>'
    assert as_user(cast["buyer"]).get(url).status_code == 403  # sees the incident, does not command it
    assert as_user(cast["outsider"]).get(url).status_code == 404


def test_linking_a_risk_from_the_war_room_shows_it_with_its_level(as_user, cast, incident):
    from risks.services import matrix_ensure_default

    matrix_ensure_default()
    risk = supplier_risk(cast, likelihood=5, impact=5)
    client = as_user(cast["commander"])
    assert client.post(incident_url(incident, "link-risk"), {"risk": risk.pk}).status_code == 302
    page = client.get(war_room(incident)).content.decode()
    assert f'href="/risks/{risk.pk}/"' in page and "level-critical" in page
    assert client.post(incident_url(incident, "unlink-risk"), {"risk": risk.pk}).status_code == 302
    assert not incident.risks.exists()


def test_a_structured_update_is_pinned_and_the_timeline_shows_updates_only(as_user, cast, incident):
    client = as_user(cast["buyer"])  # anyone who sees the incident posts updates
    form = {"what_happened": "Fire contained", "impact": "Line 2 at risk", "actions": "", "needs": "Budget"}
    assert client.post(incident_url(incident, "update"), form).status_code == 302
    page = client.get(war_room(incident)).content.decode()
    pinned = page[page.index('class="pinned-update"') : page.index('class="header-facts"')]
    assert "Fire contained" in pinned and "Budget" in pinned
    only = client.get(war_room(incident) + "?only=updates").content.decode()
    timeline = only[only.index('class="timeline"') :]
    assert timeline.count('<li class="entry') == 1 and "declared the incident" not in timeline
    assert f'data-live-fragment="/incidents/{incident.pk}/timeline/?only=updates"' in only


def test_the_war_room_loads_the_live_script_once(as_user, cast, incident):
    page = as_user(cast["commander"]).get(war_room(incident)).content.decode()
    assert page.count("live/live.js") == 1


def test_declaring_links_the_risks_chosen(as_user, cast, playbook):
    from risks.models import Category
    from risks.services import matrix_ensure_default, risk_create

    matrix_ensure_default()
    risk = risk_create(
        by=cast["officer"],
        title="Main supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=cast["officer"],
        likelihood=3,
        impact=4,
    )
    response = as_user(cast["buyer"]).post(
        reverse("incident-declare"),
        {
            "title": "Second fire",
            "severity": "2",
            "playbook": playbook.pk,
            "commander": cast["buyer"].pk,
            "risks": [risk.pk],
        },
    )
    assert response.status_code == 302
    assert list(Incident.objects.get(title="Second fire").risks.all()) == [risk]
