import csv
import io

import pytest

from people.models import Role

ROLES = {"admin": 200, "ceo": 200, "officer": 200, "commander": 403, "buyer": 403}


def test_anonymous_gets_401(api, db):
    assert api.get("/api/v1/analytics/").status_code == 401


@pytest.mark.parametrize("who, status", ROLES.items())
def test_who_sees_analytics(api, cast, who, status):
    assert api.as_user(cast[who]).get("/api/v1/analytics/").status_code == status


@pytest.mark.parametrize(
    "query, field", [("by=colour", "by"), ("since=yesterday", "since"), ("export=pdf", "export")]
)
def test_bad_queries_are_field_level_400s(api, cast, query, field):
    response = api.as_user(cast["ceo"]).get(f"/api/v1/analytics/?{query}")
    assert response.status_code == 400 and field in response.json()


def test_json_and_csv(api, cast, history):
    client = api.as_user(cast["ceo"])
    body = client.get("/api/v1/analytics/?by=severity").json()
    assert body["by"] == "severity"
    assert body["mttr"][0] == {"drill": False, "key": "1", "value": 14400.0, "count": 2}
    response = client.get("/api/v1/analytics/?by=severity&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == ["figure", "drill", "key", "tier", "value", "count"]
    assert ["mttr", "false", "1", "", "14400.0", "2"] in table
    assert ["on_time", "false", "1", "T1", "0.5", "2"] in table


def test_the_page_draws_a_chart_per_figure(client, cast, history, make_user):
    client.force_login(cast["ceo"])
    page = client.get("/analytics/?by=severity").content.decode()
    assert page.count("<svg") >= 4 and "4 h 00 min" in page and "45 min" in page
    client.force_login(make_user(Role.RESPONDER))
    assert client.get("/analytics/").status_code == 403


@pytest.mark.parametrize("language, words", [("en", "no data yet"), ("zh-hans", "暂无数据")])
def test_the_cockpit_shows_the_quarter_and_says_no_data_yet_never_a_dash(client, cast, language, words):
    """A bare dash reads as 二 to a Chinese reader."""
    cast["ceo"].language = language
    cast["ceo"].save(update_fields=["language"])
    client.force_login(cast["ceo"])
    page = client.get("/dashboard/").content.decode()
    trends = page[page.index('<section class="card trends"') :]
    trends = trends[: trends.index("</section>")]
    assert trends.count('class="week-chart-figure"') == 3
    assert trends.count(words) == 2 and "—" not in trends  # no MTTA, no MTTR yet (and 0 incidents)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_screenshots(signed_in_page, live_server, screenshot_dir, cast, history, language):
    cast["ceo"].language = language
    cast["ceo"].save()
    page = signed_in_page(cast["ceo"])
    page.goto(f"{live_server.url}/analytics/?by=team")
    page.screenshot(path=str(screenshot_dir / f"analytics-{language}.png"), full_page=True)
    assert page.locator("svg.chart").count() >= 4
