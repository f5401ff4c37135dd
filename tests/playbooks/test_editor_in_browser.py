"""A risk officer writes a plan in the editor, sees a live validation error, fixes it and publishes."""

import re

import pytest

from playbooks.models import Playbook, PlaybookStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def write_first_step(page, team, lead, *, due_after):
    page.click("[data-add-step]")
    page.fill('[data-path="steps.0.title"]', "Switch to the backup-supplier pool")
    page.fill('[data-path="steps.0.instructions"]', "Protect the top 20 % high-margin items.")
    page.locator('[data-step="0"] select[data-add="responsible"]').select_option(f"team:{team.pk}")
    page.locator('[data-path="steps.0.raci.accountable"]').select_option(f"user:{lead.pk}")
    page.fill('[data-path="steps.0.due_after"]', due_after)


def test_write_see_an_error_fix_it_and_publish(
    signed_in_page, risk_officer, team, pr_team, lead, live_server, screenshot_dir
):
    page = signed_in_page(risk_officer)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/playbooks/new/")
    page.fill('[data-field="name"]', "供应链中断三级响应 · Supply-chain break three-level response")
    page.fill('[data-field="category"]', "supply-chain")
    assert page.locator("[data-tiers] tr").count() == 3  # the default T1 / T2 / T3 template

    write_first_step(page, team, lead, due_after="PT8H")
    error = page.locator('[data-error="steps.0.due_after"]')
    error.get_by_text("Due PT8H after T1 starts, but T1 lasts only PT6H.").wait_for()
    assert "invalid" in page.locator('[data-path="steps.0.due_after"]').get_attribute("class")
    page.screenshot(path=screenshot_dir / "playbook-editor-error-en.png", full_page=True)

    page.fill('[data-path="steps.0.due_after"]', "PT2H")
    page.get_by_text("No problems found.").first.wait_for()
    assert error.inner_text() == ""
    page.click("[data-publish]")
    page.wait_for_url(re.compile(r"/playbooks/\d+/$"))
    playbook = Playbook.objects.get()
    assert playbook.status == PlaybookStatus.PUBLISHED
    assert [(s.title, s.due_after.total_seconds()) for s in playbook.steps.all()] == [
        ("Switch to the backup-supplier pool", 7200)
    ]
    assert page.locator(".pb-chart td.pb-a").inner_text() == "A"
    page.screenshot(path=screenshot_dir / "playbook-detail-en.png", full_page=True)

    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    assert "RACI 责任矩阵" in page.content()
    page.screenshot(path=screenshot_dir / "playbook-detail-zh.png", full_page=True)

    page.goto(f"{live_server.url}/playbooks/new/")
    page.fill('[data-field="name"]', "舆情危机黄金 3 小时")
    write_first_step(page, team, lead, due_after="-PT1H")
    # The validation message speaks the editor's language too.
    page.locator('[data-error="steps.0.due_after"]').get_by_text("时长不能为负数。").wait_for()
    page.screenshot(path=screenshot_dir / "playbook-editor-error-zh.png", full_page=True)
    page.goto(f"{live_server.url}/playbooks/")
    page.screenshot(path=screenshot_dir / "playbook-library-zh.png", full_page=True)
    page.goto(f"{live_server.url}/playbooks/{playbook.pk}/preview/?clock_rate=60")
    page.screenshot(path=screenshot_dir / "playbook-preview-zh.png", full_page=True)
    assert Playbook.objects.count() == 1  # the unsaved second draft wrote nothing


def test_a_slow_answer_to_an_earlier_check_does_not_bring_its_error_back(
    signed_in_page, risk_officer, team, lead, live_server
):
    """Checks can answer out of order; only the answer to the latest one is shown."""
    page = signed_in_page(risk_officer)
    held = []  # checks of the draft with the error, answered only once the fixed one has been

    def hold_the_wrong_draft(route):
        if "PT8H" in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/v1/playbooks/validate/", hold_the_wrong_draft)
    page.goto(f"{live_server.url}/playbooks/new/")
    page.fill('[data-field="name"]', "Supply-chain break")
    with page.expect_request(lambda request: "PT8H" in (request.post_data or "")):
        write_first_step(page, team, lead, due_after="PT8H")
    page.fill('[data-path="steps.0.due_after"]', "PT2H")
    page.get_by_text("No problems found.").first.wait_for()
    assert held, "the check of the wrong draft was sent"

    for route in held:
        with page.expect_response("**/api/v1/playbooks/validate/"):
            route.continue_()
    page.evaluate("() => new Promise((done) => setTimeout(done, 200))")  # its answer is handled
    assert page.locator('[data-error="steps.0.due_after"]').inner_text() == ""
    assert page.get_by_text("No problems found.").first.is_visible()
