"""The war room's parts are rendered once for everyone who sees the incident as of the same
timeline entry with the same rights, and kept (core/shared_parts.py): each reader still gets
their own buttons, language, time zone and CSRF token, and a change shows to the next reader."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.shared_parts import TOKEN_PLACEHOLDER
from incidents.models import TaskState
from risks import services as risks
from tests.factories import plant_fire, published_plan, supplier_risk, supply_chain_cast, three_tier_spec

pytestmark = pytest.mark.django_db

# Who sees which buttons (as tests/incidents/test_pages.py pins them, page by page).
SHOWN = {
    "commander": {"acknowledge", "complete", "skip", "reassign", "advance-tier", "stabilize", "resolve"},
    "admin": {"acknowledge", "complete", "skip", "reassign", "advance-tier", "stabilize", "resolve"},
    "buyer": {"acknowledge", "complete", "skip", "reassign"},
    "pr_lead": {"skip", "reassign"},
    "ceo": set(),
    "officer": set(),
}


@pytest.fixture
def cast():
    return supply_chain_cast()


@pytest.fixture
def incident(cast, matrix):
    playbook = published_plan(three_tier_spec(cast), cast["officer"])
    risk = supplier_risk(cast, likelihood=2, impact=2)
    return plant_fire(cast, playbook, timezone.now().replace(microsecond=0), risks=[risk])


PARTS = ("header", "board", "timeline")


def page_of(user, incident, part: str | None = None, **headers) -> str:
    client = Client()
    client.force_login(user)
    url = reverse("incident-detail", args=[incident.pk])
    if part:
        url = reverse("incident-fragment", args=[incident.pk, part])
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def buttons(page: str) -> set[str]:
    return {name for name in set().union(*SHOWN.values()) if f'name="{name}"' in page}


def test_each_reader_gets_their_own_buttons_whoever_came_first(cast, incident):
    for _ in range(2):  # the first round renders the parts, the second is given kept ones
        for who, shown in SHOWN.items():
            assert buttons(page_of(cast[who], incident)) == shown, who
    assert caches["parts"]._cache  # kept, indeed


def test_each_part_is_kept_for_what_it_shows_of_its_reader(cast, incident):
    """The timeline shows nothing of its reader: rendered once for all of them. The board shows the
    tasks the reader holds and whether they command, the header whether they command and follow."""
    url = reverse("incident-detail", args=[incident.pk])
    rendered = {}
    for who in ("commander", "buyer", "pr_lead", "ceo", "officer"):
        client = Client()
        client.force_login(cast[who])
        names = {template.name for template in client.get(url).templates}
        rendered[who] = {part for part in PARTS if f"incidents/war_room/{part}.html" in names}
    assert rendered == {
        "commander": set(PARTS),
        "buyer": {"header", "board"},  # the first reader not commanding: the header without command
        "pr_lead": {"board"},  # their own tasks
        "ceo": {"board"},  # none
        "officer": set(),  # none either: the ceo's board
    }


def test_a_change_shows_to_the_next_reader_at_once(cast, incident):
    task = incident.tasks.get(title="Switch to the backup-supplier pool")
    before = page_of(cast["ceo"], incident, "board")
    assert f'id="task-{task.pk}" data-task-state="open"' in before
    buyer = Client()
    buyer.force_login(cast["buyer"])
    assert buyer.post(reverse("task-action", args=[task.pk, "acknowledge"])).status_code == 302
    for part in (None, "board"):
        assert f'id="task-{task.pk}" data-task-state="acknowledged"' in page_of(cast["ceo"], incident, part)


def test_a_linked_risk_rated_again_shows_at_once(cast, incident):
    risk = incident.risks.get()
    assert "level-low" in page_of(cast["ceo"], incident, "header")
    risks.risk_rerate(
        risk=risk,
        by=cast["officer"],
        reason="The supplier's plant burned",
        likelihood=5,
        impact=5,
        residual_likelihood=5,
        residual_impact=5,
    )
    assert "level-critical" in page_of(cast["ceo"], incident, "header")


def test_each_language_and_time_zone_gets_its_own(cast, incident):
    ceo = cast["ceo"]
    english = page_of(ceo, incident)
    ceo.language, ceo.timezone = "zh-hans", "Asia/Shanghai"
    ceo.save(update_fields=["language", "timezone"])
    chinese = page_of(ceo, incident)
    assert "Tasks by tier" in english and "Tasks by tier" not in chinese
    in_shanghai = f'datetime="{incident.declared_at.astimezone(ZoneInfo("Asia/Shanghai")).isoformat()}"'
    assert in_shanghai in chinese and in_shanghai not in english  # English: in UTC


def test_a_kept_part_carries_the_readers_own_csrf_token(cast, incident):
    task = incident.tasks.get(title="Switch to the backup-supplier pool")
    page_of(cast["commander"], incident)  # renders and keeps the parts for the commander's rights
    page_of(cast["admin"], incident)  # the same rights: given the kept parts
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(cast["admin"])
    page = admin.get(reverse("incident-detail", args=[incident.pk])).content.decode()
    assert TOKEN_PLACEHOLDER not in page
    action = reverse("task-action", args=[task.pk, "acknowledge"])
    form = page[page.index(f'action="{action}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert admin.post(action, {"csrfmiddlewaretoken": token}).status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.ACKNOWLEDGED


def test_a_page_showing_a_failed_action_is_not_kept_for_others(cast, incident):
    task = incident.tasks.get(title="Switch to the backup-supplier pool")
    commander = Client()
    commander.force_login(cast["commander"])
    refused = commander.post(reverse("task-action", args=[task.pk, "skip"]), {"reason": ""})
    assert refused.status_code == 400 and "failed" in refused.content.decode()
    assert 'class="task-card state-open failed"' not in page_of(cast["admin"], incident)
