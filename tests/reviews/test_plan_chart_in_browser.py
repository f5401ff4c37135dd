"""The review's plan-versus-actual Gantt in the browser: drawn with a row a step, on a desk and on a
phone, in both languages; the page never scrolls sideways."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents import services as incidents
from tests.factories import H, fire_due, plant_fire, published_plan, three_tier_spec

TITLE = {"en": "Each step, planned against what happened", "zh-hans": "各步骤：计划与实际对比"}
SKIPPED = {"en": "skipped", "zh-hans": "已跳过"}


def a_day_of_work(cast, at):
    """Declared at `at` from a plan with three steps in T1: one done on time, one late after two
    escalations, one skipped; a task added by hand and never done; T2's step done late; resolved
    before T3."""
    playbook = published_plan(three_tier_spec(cast, extra_steps_in_t1=2), cast["officer"])
    incident = plant_fire(cast, playbook, at)
    task = {t.title: t.pk for t in incident.tasks.all()}
    buyer, commander = cast["buyer"], cast["commander"]
    incidents.task_complete(task_id=task["Switch to the backup-supplier pool"], by=buyer, now=at + 1.5 * H)
    fire_due(at + 3.5 * H)
    incidents.task_complete(task_id=task["Extra step 2"], by=buyer, now=at + 3.5 * H)
    incidents.task_skip(task_id=task["Extra step 3"], by=commander, reason="Not needed", now=at + 4 * H)
    fire_due(at + 7 * H)  # T2 starts at 6 h
    incidents.task_add(
        incident_id=incident.pk,
        title="Call the insurer",
        responsible=[{"user": cast["logistics"]}],
        accountable={"team": cast["supply"]},
        escalate_after=2 * H,
        due_after=3 * H,
        by=commander,
        now=at + 7 * H,
    )
    fire_due(at + 20 * H)
    incidents.task_complete(task_id=task["Start pre-sale mode"], by=cast["pr_lead"], now=at + 20 * H)
    incidents.incident_resolve(incident_id=incident.pk, by=commander, now=at + 22 * H)
    return incident


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_review_draws_each_step_planned_against_what_happened(
    signed_in_page, live_server, screenshot_dir, cast
):
    incident = a_day_of_work(cast, timezone.now() - 24 * H)
    page = signed_in_page(cast["commander"])
    page.goto(f"{live_server.url}/incidents/{incident.pk}/review/")
    chart = page.locator("figure.gantt")
    steps = chart.locator(".gantt-row:not(.gantt-row-tier):not(.gantt-axis)")
    for language in ("en", "zh-hans"):
        page.set_viewport_size({"width": 1440, "height": 900})
        page.click(f".language-switch button[value={language}]")
        expect(chart).to_have_attribute("aria-label", TITLE[language])
        # The table beside the chart says a skipped step was skipped, not late.
        skipped_row = page.locator("tr", has=page.locator("td", has_text="Extra step 3"))
        expect(skipped_row.locator("td").last).to_have_text(SKIPPED[language])
        for width, height in ((1440, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            expect(steps).to_have_count(6)
            for row in steps.all():
                assert row.locator(".gantt-track").bounding_box()["width"] > 200
            late = chart.locator("rect.gantt-late").first.bounding_box()
            assert late["width"] > 2 and late["height"] > 2  # drawn, not only in the markup
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            chart.screenshot(path=screenshot_dir / f"review-gantt-{language}-{width}.png")
