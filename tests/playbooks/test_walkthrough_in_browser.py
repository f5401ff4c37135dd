"""A risk officer, in Chinese and in English, walks the playbook pages end to end in a real browser:
the library, the editor with its live validation, the RACI chart, the timeline preview, publishing
a version and using it from a risk. Every page is kept as a screenshot for people to look at."""

import re

import pytest

from people.models import Role, Team
from playbooks.models import Playbook, PlaybookStatus
from risks import services as register
from risks.models import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the person sees, in their language: the editor's verdicts and the risk page's label.
WORDS = {
    "zh-hans": {
        "no accountable": "必须且只能有一个批准方（A）。",
        "valid": "未发现问题。",
        "chart": "RACI 责任矩阵",
    },
    "en": {
        "no accountable": "Exactly one Accountable is required.",
        "valid": "No problems found.",
        "chart": "RACI chart",
    },
}
# The supply-chain three-level response from the product brief, one step per level.
STEPS = [
    ("T1", "切换备用供应商池 · Switch to the backup-supplier pool", "PT2H"),
    ("T2", "启动预售模式 · Start pre-sale mode", "PT12H"),
    ("T3", "开通 C2M 定制渠道 · Open the C2M custom channel", "PT24H"),
]


def write_step(page, index, tier, title, due_after, responsible, accountable=None, informed=None):
    page.click("[data-add-step]")
    step = page.locator(f'[data-step="{index}"]')
    step.locator(f'[data-path="steps.{index}.tier"]').select_option(tier)
    page.fill(f'[data-path="steps.{index}.title"]', title)
    page.fill(f'[data-path="steps.{index}.due_after"]', due_after)
    step.locator('select[data-add="responsible"]').select_option(responsible)
    if accountable:
        page.locator(f'[data-path="steps.{index}.raci.accountable"]').select_option(accountable)
    if informed:
        step.locator('select[data-add="informed"]').select_option(informed)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_risk_officer_writes_publishes_and_uses_the_supply_chain_plan(
    signed_in_page, make_user, live_server, screenshot_dir, language
):
    words = WORDS[language]
    supply = Team.objects.create(slug="supply-chain", name="供应链 · Supply chain")
    pr = Team.objects.create(slug="pr", name="公关 · Public relations")
    lead = make_user(Role.RESPONDER, teams=[supply], username="crisis.lead", first_name="Wei", last_name="Li")
    officer = make_user(Role.RISK_OFFICER, username="risk.officer", language=language)
    risk = register.risk_create(
        by=officer,
        title="关键供应商停止供货 · Key supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=officer,
        likelihood=4,
        impact=5,
    )
    shot = f"{language.split('-')[0]}.png"
    page = signed_in_page(officer)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The library, then a new plan from it.
    page.goto(f"{live_server.url}/playbooks/")
    page.screenshot(path=screenshot_dir / f"walkthrough-library-{shot}", full_page=True)
    page.click('a[href="/playbooks/new/"]')
    page.wait_for_load_state()  # the editor's script has run
    page.fill('[data-field="name"]', "供应链中断三级响应 · Supply-chain break three-level response")
    page.fill('[data-field="category"]', "supply-chain")
    assert page.locator("[data-tiers] tr").count() == 3  # T1 0–6 h, T2 6–48 h, T3 48 h+

    # Each level's step; the second has no Accountable yet, and the editor says so at once.
    write_step(page, 0, *STEPS[0], f"team:{supply.pk}", f"user:{lead.pk}", f"team:{pr.pk}")
    write_step(page, 1, *STEPS[1], f"team:{supply.pk}")
    page.locator('[data-error="steps.1.raci.accountable"]').get_by_text(words["no accountable"]).wait_for()
    page.screenshot(path=screenshot_dir / f"walkthrough-editor-error-{shot}", full_page=True)
    page.locator('[data-path="steps.1.raci.accountable"]').select_option(f"team:{supply.pk}")
    write_step(page, 2, *STEPS[2], f"team:{pr.pk}", f"user:{lead.pk}")
    page.get_by_text(words["valid"]).first.wait_for()
    page.screenshot(path=screenshot_dir / f"walkthrough-editor-valid-{shot}", full_page=True)

    # Publish: the playbook's page, its tiers as columns and who is R/A/C/I for every step.
    page.click("[data-publish]")
    page.wait_for_url(re.compile(r"/playbooks/\d+/$"))
    playbook = Playbook.objects.get()
    assert playbook.status == PlaybookStatus.PUBLISHED
    assert [(step.tier.key, step.title) for step in playbook.steps.order_by("tier__starts_after")] == [
        (tier, title) for tier, title, _ in STEPS
    ]
    assert words["chart"] in page.content()
    chart = page.locator(".pb-chart tbody tr")
    assert chart.count() == 3
    assert [chart.nth(row).locator("td.pb-a").count() for row in range(3)] == [1, 1, 1]
    page.screenshot(path=screenshot_dir / f"walkthrough-detail-{shot}", full_page=True)

    # The timeline preview, a drill at 60×.
    page.goto(f"{live_server.url}/playbooks/{playbook.pk}/preview/?clock_rate=60")
    assert page.locator("table").count() >= 1
    page.screenshot(path=screenshot_dir / f"walkthrough-preview-{shot}", full_page=True)

    # Used from a risk: the risk's form links the plan, the risk's page shows and links it.
    page.goto(f"{live_server.url}/risks/{risk.pk}/edit/")
    page.select_option("#id_playbook", str(playbook.pk))
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/risks/{risk.pk}/")
    risk.refresh_from_db()
    assert risk.playbook == playbook
    page.screenshot(path=screenshot_dir / f"walkthrough-risk-{shot}", full_page=True)
    page.click(f'a[href="/playbooks/{playbook.pk}/"]')
    page.wait_for_url(f"{live_server.url}/playbooks/{playbook.pk}/")

    # Back in the library, the published plan is listed.
    page.goto(f"{live_server.url}/playbooks/?status=published")
    assert page.locator("table.pb-library tbody tr").count() == 1
    page.screenshot(path=screenshot_dir / f"walkthrough-library-published-{shot}", full_page=True)
