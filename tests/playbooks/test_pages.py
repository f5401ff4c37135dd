"""The pages: library with filters, a playbook with tiers and its RACI chart, preview, editor."""

import csv
import io

import pytest

from people.demo import load as load_demo_people
from people.models import Role, User
from playbooks import demo
from playbooks.models import Playbook, PlaybookStatus
from tests.fixtures.database import built_once

pytestmark = pytest.mark.django_db


def load_library() -> dict:
    """The demo's people and its shipped playbook library, published."""
    load_demo_people("Correct-Horse-42")
    demo.load("unused")
    return {p.category: p for p in Playbook.objects.all()}


library = built_once(load_library, "library")


def test_the_library_filters_by_status_and_category(client, library):
    client.force_login(User.objects.get(username="cfo"))  # executive, English
    page = client.get("/playbooks/").content.decode()
    assert "Supply-chain break three-level response" in page and "New playbook" not in page
    page = client.get("/playbooks/?category=public-opinion").content.decode()
    assert "golden 3 hours" in page and "Supply-chain break" not in page
    assert "No playbooks match." in client.get("/playbooks/?status=draft").content.decode()


def test_the_playbook_page_shows_tiers_and_the_raci_chart(client, library, django_assert_max_num_queries):
    client.force_login(User.objects.get(username="logistics"))  # responder, English
    playbook = library["supply-chain"]
    with django_assert_max_num_queries(12):
        response = client.get(f"/playbooks/{playbook.pk}/")
    page = response.content.decode()
    assert page.count('class="pb-tier card"') == 3
    chart = response.context["chart"]
    labels = [party.label for party in chart.parties]
    assert labels[0].startswith("Crisis management") and "Fang Chen · 陈芳" in labels
    switch = next(row for row in chart.rows if row.step.title.startswith("切换至备用供应商池"))
    assert switch.cells[labels.index("Supply chain · 供应链")] == "R"
    assert switch.cells[labels.index("Fang Chen · 陈芳")] == "A"
    assert switch.cells[labels.index("Finance · 财务")] == "C"
    assert "Edit" not in page  # a responder reads


def test_the_raci_chart_as_csv(client, library):
    client.force_login(User.objects.get(username="ceo"))
    playbook = library["public-opinion"]
    response = client.get(f"/playbooks/{playbook.pk}/raci.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Tier", "Order", "Step"]
    sop = next(row for row in rows if "Start the PR crisis SOP" in row[2])
    assert sop[:2] == ["T2", "1"]
    assert sorted(cell for cell in sop[3:] if cell) == ["A", "C", "I", "I", "R"]


def test_the_preview_page_in_the_persons_time_zone(client, library):
    client.force_login(User.objects.get(username="pr.lead"))  # Asia/Shanghai
    playbook = library["public-opinion"]
    page = client.get(
        f"/playbooks/{playbook.pk}/preview/?declared_at=2026-05-04T08:00&clock_rate=60"
    ).content.decode()
    assert "2026-05-04 08:01:50" in page  # the PR SOP: 1 h 50 min of plan at 60× = 110 s
    page = client.get(f"/playbooks/{playbook.pk}/preview/?clock_rate=0").content.decode()
    assert "Give a whole number from 1 to 3600." in page


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.RISK_OFFICER, 200), (Role.ADMIN, 200), (Role.EXECUTIVE, 403), (Role.RESPONDER, 403)],
)
def test_only_risk_officers_and_admins_edit(client, make_user, library, role, status):
    client.force_login(make_user(role))
    playbook = library["technology"]
    assert client.get("/playbooks/new/").status_code == status
    assert client.get(f"/playbooks/{playbook.pk}/edit/").status_code == status
    assert client.post(f"/playbooks/{playbook.pk}/retire/").status_code == (302 if status == 200 else 403)
    playbook.refresh_from_db()
    assert playbook.status == (PlaybookStatus.RETIRED if status == 200 else PlaybookStatus.PUBLISHED)


def test_pages_need_a_sign_in(client, library):
    assert client.get("/playbooks/").status_code == 302


def test_the_library_speaks_chinese(client, library):
    client.force_login(User.objects.get(username="ceo"))  # 王伟 reads Chinese
    page = client.get("/playbooks/").content.decode()
    assert "预案库" in page and "已发布" in page


def test_page_url_names_are_the_pages_not_the_api():
    from django.urls import reverse

    assert (reverse("playbook-list"), reverse("playbook-detail", args=[7])) == (
        "/playbooks/",
        "/playbooks/7/",
    )


def test_the_preview_draws_the_plan_as_a_gantt_in_plan_time(client, library):
    client.force_login(User.objects.get(username="pr.lead"))  # Chinese, Asia/Shanghai
    playbook = library["supply-chain"]
    response = client.get(f"/playbooks/{playbook.pk}/preview/?declared_at=2026-05-04T08:00&clock_rate=60")
    chart = response.context["chart"]
    tiers = [row for row in chart.rows if row.kind == "tier"]
    steps = [row for row in chart.rows if row.kind != "tier"]
    assert [row.label.split(" ·")[0] for row in tiers] == ["T1", "T2", "T3"]
    assert len(steps) == playbook.steps.count()
    assert tiers[0].spans[0].x == 0 and tiers[2].spans[0].open_end  # T3 runs until resolved
    for row in steps:  # each step: one window, three escalations after it falls due, in order
        [window] = row.spans
        assert [mark.kind for mark in row.marks] == ["escalation-1", "escalation-2", "escalation-3"]
        assert window.x + window.width == pytest.approx(row.marks[0].x, abs=0.4)  # due, then escalation 1
        assert row.marks[0].x < row.marks[1].x < row.marks[2].x
    assert [tick.label for tick in chart.ticks[:3]] == [
        "+0 天",
        "+2 天",
        "+4 天",
    ]  # plan time, not 60× faster
    page = response.content.decode()
    assert page.count('class="gantt-row"') == len(steps) and "一级升级（R 与 A）" in page


def test_a_gantt_places_spans_and_marks_on_one_axis():
    import datetime as dt

    from core.gantt import Mark, Row, Span, gantt

    start = dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    chart = gantt(
        rows=[
            Row("a", spans=[Span(start, start + 2 * hour, "work")], marks=[Mark(start + 4 * hour, "late")])
        ],
        start=start,
        tick_label=lambda offset, step: f"+{offset / step:g}",
    )
    [row] = chart.rows
    assert row.spans[0].x == 0 and row.marks[0].x == pytest.approx(100 / 1.06, abs=0.01)
    assert row.spans[0].width == pytest.approx(row.marks[0].x / 2, abs=0.01)
    assert [tick.label for tick in chart.ticks] == ["+0", "+1", "+2", "+3", "+4"]
