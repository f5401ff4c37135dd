"""What a commander does in the war room's header (and to declare a drill), step by step, in
headless Chromium."""

import re

from playwright.sync_api import expect


def _open(page, action: str, button: str = ""):
    """Opens the header's `action` and returns its form (the one with the `button`, by default
    named as the action)."""
    page.locator(f"#war-room-header summary[data-action={action}]").click()
    return page.locator("#war-room-header form", has=page.locator(f"button[name={button or action}]"))


def change_severity(page, severity: int, reason: str) -> None:
    form = _open(page, "severity", "change-severity")
    form.locator("select[name=severity]").select_option(str(severity))
    form.locator("input[name=reason]").fill(reason)
    form.locator("button[name=change-severity]").click()
    page.wait_for_load_state()


def add_task(page, title: str, responsible: str, accountable: str, due_in_minutes: int) -> None:
    """A task the playbook did not foresee; parties as "user:<id>" or "team:<id>"."""
    form = _open(page, "add-task")
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=responsible]").select_option(responsible)
    form.locator("select[name=accountable]").select_option(accountable)
    form.locator("input[name=due_in]").fill(str(due_in_minutes))
    form.locator("button[name=add-task]").click()
    page.wait_for_load_state()


def resolve(page, summary: str, skip_reason: str) -> None:
    """Resolve asks for a summary: without one nothing is sent. Then resolved with it, the tasks
    still open skipped for `skip_reason`."""
    form = _open(page, "resolve")
    expect(form.locator("fieldset")).to_be_visible()  # what happens to the tasks still open
    form.locator("button[name=resolve]").click()
    assert form.locator("textarea[name=summary]").evaluate("element => element.validity.valueMissing")
    form.locator("textarea[name=summary]").fill(summary)
    form.locator("input[name=open_tasks][value=skip]").check()
    form.locator("input[name=skip_reason]").fill(skip_reason)
    form.locator("button[name=resolve]").click()
    page.wait_for_load_state()


def declare_drill(
    page, base_url: str, *, title: str, severity: int, playbook, commander, button: str
) -> None:
    """Declares a drill of `playbook` at clock rate 3600 on the declare page, and waits for its
    war room; `button` is the Declare button's name in the page's language."""
    page.goto(f"{base_url}/incidents/declare/")
    page.fill("#id_title", title)
    page.select_option("#id_severity", str(severity))
    page.select_option("#id_playbook", str(playbook.pk))
    page.select_option("#id_commander", str(commander.pk))
    page.check("#id_drill")
    page.fill("#id_clock_rate", "3600")
    page.locator("main").get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
