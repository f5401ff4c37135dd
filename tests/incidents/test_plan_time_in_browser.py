"""In a drill every duration a person reads is plan time (the clock rate), like the war room header."""

import pytest
from playwright.sync_api import expect

from tests.factories import plant_fire


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_drills_countdowns_read_in_plan_time(signed_in_page, live_server, cast, playbook, declared_at):
    drill = plant_fire(
        cast, playbook, declared_at, drill=True, clock_rate=60
    )  # first task due in 2 plan hours
    task = drill.tasks.get(title="Switch to the backup-supplier pool")
    page = signed_in_page(cast["buyer"])
    page.goto(f"{live_server.url}/incidents/{drill.pk}/")
    due = page.locator(f"#task-{task.pk} .countdown").first
    expect(due).to_contain_text("1h 5")  # "in 1h 59m": two hours of plan time, not two minutes
    page.goto(f"{live_server.url}/incidents/mine/")
    expect(page.locator(f"#task-{task.pk} .countdown").first).to_contain_text("1h 5")
    page.goto(f"{live_server.url}/teams/{cast['supply'].pk}/now/")
    expect(page.locator(f"tr[data-task='{task.pk}'] .countdown").first).to_contain_text("1h 5")
