import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from incidents import services as incidents
from reviews.models import FollowUpAction, PlaybookProposal, Review, ReviewStatus
from tests.factories import H, plant_fire, published_plan, three_tier_spec

# The session and the person, the review with its pins, ratings, proposals and follow-ups, the tasks
# and the timeline to pin, the steps' record, the bell; a writer's page also reads the playbook used
# (four, for the proposal's YAML) and the people who may own a follow-up.
QUERIES = {"commander": 16, "ceo": 11}


def review_page(incident):
    return f"/incidents/{incident.pk}/review/"


@pytest.mark.parametrize("who, status", [("commander", 200), ("ceo", 200), ("buyer", 200), ("outsider", 404)])
def test_who_opens_the_review_page(client, cast, resolved, who, status):
    client.force_login(cast[who])
    assert client.get(review_page(resolved)).status_code == status


def test_readers_see_no_form_and_may_not_post(client, cast, resolved):
    client.force_login(cast["ceo"])
    assert 'name="summary"' not in client.get(review_page(resolved)).content.decode()
    assert client.post(review_page(resolved), {"summary": "x"}).status_code == 403
    assert Review.objects.get(incident=resolved).summary == ""


def test_the_commander_writes_and_completes_it(client, cast, resolved, risk):
    Review.objects.get(incident=resolved).ratings.update(decision="keep")
    client.force_login(cast["commander"])
    form = {"summary": "Fire", "root_cause": "", "whys": ["One supplier", ""], "complete": ""}
    response = client.post(review_page(resolved), form)
    assert response.status_code == 400 and "Name the root cause" in response.content.decode()
    assert Review.objects.get(incident=resolved).status == ReviewStatus.OPEN
    response = client.post(review_page(resolved), {**form, "root_cause": "Single source"})
    assert response.status_code == 302
    review = Review.objects.get(incident=resolved)
    assert review.status == ReviewStatus.COMPLETED and review.whys == ["One supplier"]


@pytest.mark.parametrize("who", ["commander", "ceo"])
def test_the_page_costs_the_same_queries_however_many_steps(client, cast, declared_at, who):
    client.force_login(cast[who])
    counts = []
    for extra_steps in (0, 12):
        playbook = published_plan(three_tier_spec(cast, extra_steps_in_t1=extra_steps), cast["officer"])
        incident = plant_fire(cast, playbook, declared_at)
        incidents.incident_resolve(incident_id=incident.pk, by=cast["commander"], now=declared_at + 3 * H)
        client.get(review_page(incident))  # warm: the session
        with CaptureQueriesContext(connection) as page:
            assert client.get(review_page(incident)).status_code == 200
        counts.append(len(page.captured_queries))
    assert counts == [QUERIES[who]] * 2


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", ["Each step, planned against what happened", "Late: after", "not started", "not written"]),
        ("zh-hans", ["各步骤：计划与实际对比", "延误：到期之后", "未开始", "尚未填写"]),
    ],
)
def test_the_steps_are_drawn_planned_against_what_happened_above_their_table(
    client, cast, resolved, language, words
):
    reader = cast["ceo"]
    reader.language = language
    reader.save(update_fields=["language"])
    client.force_login(reader)
    page = client.get(review_page(resolved)).content.decode()
    chart = page[page.index('<figure class="gantt"') : page.index("</figure>")]
    assert chart.count('<div class="gantt-row">') == resolved.tasks.count() == 3  # one row a step
    assert chart.count("gantt-row-tier") == 3  # and one a tier, above its steps
    assert all(task.title in chart for task in resolved.tasks.all())
    assert 'class="gantt-span gantt-late gantt-open"' in chart  # T1's step was never done
    assert all(word in page for word in words) and "—" not in page  # a bare dash reads as 二
    assert page.index("</figure>") < page.index('<table class="data"><thead>')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_reviewer_re_rates_proposes_and_follows_up_in_the_browser(
    signed_in_page, live_server, screenshot_dir, cast, resolved, risk, language
):
    cast["commander"].language = language
    cast["commander"].save()
    page = signed_in_page(cast["commander"])
    page.goto(f"{live_server.url}{review_page(resolved)}")
    prefix = f"#id_risk-{risk.pk}"

    # A follow-up without a title: the error is next to the title, the rest is kept.
    page.select_option("#follow-up-form #id_owner", str(cast["buyer"].pk))
    page.fill("#follow-up-form #id_due_at", "2030-03-01T09:30")
    page.click("#follow-up-form button[name=add_follow_up]")
    expect(page.locator("#follow-up-form #title-errors")).to_be_visible()
    page.fill("#follow-up-form #id_title", "Qualify a second supplier")
    page.click("#follow-up-form button[name=add_follow_up]")
    expect(page.locator("#follow-ups td", has_text="Qualify a second supplier")).to_be_visible()

    # A better playbook version: the YAML of the version used, edited.
    yaml = page.input_value("#proposal-form #id_playbook")
    page.fill("#proposal-form #id_rationale", "Tier 1 was too slow")
    page.fill("#proposal-form #id_playbook", yaml.replace("due_after: PT2H", "due_after: PT1H"))
    page.click("#proposal-form button[name=propose]")
    expect(page.locator("pre.diff .add", has_text="due_after: PT1H")).to_be_visible()

    # Re-rate the linked risk with a reason: completing before giving the new rating is refused.
    page.select_option(f"{prefix}-decision", "rerate")
    page.fill("#id_summary", "The main supplier's plant burnt down.")
    page.fill("#id_root_cause", "A single source for the main part.")
    page.click("#review-form button[name=complete]")
    expect(page.locator("#ratings-errors")).to_contain_text(risk.ref)
    page.select_option(f"{prefix}-likelihood", "5")
    page.fill(f"{prefix}-note", "It happened: the likelihood was too low.")
    page.screenshot(path=str(screenshot_dir / f"review-{language}.png"), full_page=True)
    page.click("#review-form button[name=complete]")
    expect(page.locator(".review-status")).to_contain_text("Completed" if language == "en" else "已完成")
    risk.refresh_from_db()
    assert risk.likelihood == 5
    assert FollowUpAction.objects.get().owner == cast["buyer"]
    assert PlaybookProposal.objects.get().draft.status == "draft"
    page.screenshot(path=str(screenshot_dir / f"review-completed-{language}.png"), full_page=True)
