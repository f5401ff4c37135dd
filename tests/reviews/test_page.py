import pytest

from reviews.models import Review, ReviewStatus


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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_screenshots(signed_in_page, live_server, screenshot_dir, cast, resolved, language, api):
    api.as_user(cast["commander"]).post(
        f"/api/v1/incidents/{resolved.pk}/review/proposals/",
        {"rationale": "Tier 1 faster", "spec": {"description": "Three-level response, faster tier 1"}},
        format="json",
    )
    cast["commander"].language = language
    cast["commander"].save()
    page = signed_in_page(cast["commander"])
    page.goto(f"{live_server.url}{review_page(resolved)}")
    page.screenshot(path=str(screenshot_dir / f"review-{language}.png"), full_page=True)
    assert page.locator("pre.diff").count() == 1
