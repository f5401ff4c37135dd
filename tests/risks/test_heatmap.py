"""The heat map names the risks in each cell, inherent or residual, in its page, its API and the
dashboard's card, at a cost that does not grow with the register."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Role
from risks import selectors

pytestmark = pytest.mark.django_db


def cells(heat) -> dict:
    return {(cell.likelihood, cell.impact): cell for cell in heat.cells}


def test_each_cell_names_its_first_open_risks_by_reference(crowded, matrix):
    heat = selectors.heatmap(matrix=matrix)
    crowd = cells(heat)[4, 5]
    assert crowd.level == "critical" and crowd.count == 5 and crowd.more == 2
    assert [risk.ref for risk in crowd.named] == [risk.ref for risk in crowded["crowd"][:3]]
    assert [risk.title for risk in cells(heat)[2, 2].named] == ["Petty cash"]
    assert cells(heat)[1, 1].count == 0 and cells(heat)[1, 1].named == [] and cells(heat)[1, 1].more == 0
    assert len(heat.cells) == 25 and heat.total == 6 and heat.rating == "inherent"


def test_the_residual_map_places_each_risk_by_its_residual_rating(crowded, matrix):
    heat = cells(selectors.heatmap(matrix=matrix, rating="residual"))
    assert heat[4, 5].count == 0 and heat[4, 5].named == []
    assert [risk.title for risk in heat[2, 3].named] == ["Supplier 0", "Supplier 1", "Supplier 2"]
    assert heat[2, 3].count == 4 and heat[2, 3].more == 1
    assert [risk.title for risk in heat[1, 1].named] == ["Port strike"]


def test_risks_not_rated_are_counted_apart_and_named_in_no_cell(crowded, matrix):
    for rating in ("inherent", "residual"):
        heat = selectors.heatmap(matrix=matrix, rating=rating)
        assert heat.not_rated == 1
        named = [risk.title for cell in heat.cells for risk in cell.named]
        assert "Not looked at" not in named and "Gone closed" not in named and "Gone archived" not in named


def test_the_api_keeps_its_counts_and_adds_the_first_risks_of_each_cell(api, executive, crowded):
    client = api.as_user(executive)
    data = client.get("/api/v1/risks/heatmap/?rating=residual").json()
    assert {key: data[key] for key in ("rating", "matrix_version", "total", "not_rated")} == {
        "rating": "residual",
        "matrix_version": 1,
        "total": 6,
        "not_rated": 1,
    }
    by_cell = {(cell["likelihood"], cell["impact"]): cell for cell in data["cells"]}
    first = crowded["crowd"][0]
    assert by_cell[2, 3]["count"] == 4 and len(by_cell[2, 3]["risks"]) == 3
    assert by_cell[2, 3]["risks"][0] == {"id": first.pk, "ref": first.ref, "title": "Supplier 0"}
    assert by_cell[5, 5] == {"likelihood": 5, "impact": 5, "level": "critical", "count": 0, "risks": []}


def page_queries(client, url: str) -> int:
    client.get(url)  # warm: the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_heat_map_page_and_the_api_cost_the_same_queries_for_2_or_30_risks(
    client, api, executive, make_risk
):
    client.force_login(executive)
    reader = api.as_user(executive)
    make_risk(likelihood=4, impact=5)
    make_risk(likelihood=1, impact=1)
    few = [page_queries(client, "/risks/heatmap/"), page_queries(reader, "/api/v1/risks/heatmap/")]
    for n in range(28):
        make_risk(likelihood=n % 5 + 1, impact=n % 3 + 1)
    many = [page_queries(client, "/risks/heatmap/"), page_queries(reader, "/api/v1/risks/heatmap/")]
    # session, user, matrix, counts, names, the bell's unread count | token, matrix, counts, names
    assert few == many == [6, 4]


def test_the_page_names_the_risks_of_a_cell_and_links_the_rest_to_the_register(client, executive, crowded):
    client.force_login(executive)
    page = client.get("/risks/heatmap/").content.decode()
    for risk in crowded["crowd"][:3]:
        assert f'<a href="/risks/{risk.pk}/" title="{risk.title}">{risk.ref}</a>' in page
    assert crowded["crowd"][3].ref not in page
    assert '<a class="more" href="/risks/?rating=inherent&amp;likelihood=4&amp;impact=5">+2 more</a>' in page
    assert "Inherent ratings: each risk before any treatment." in page
    assert '<a href="?rating=inherent" aria-current="true">Inherent</a>' in page


def test_the_residual_page_says_so_and_names_by_residual_rating_in_chinese(client, make_user, crowded):
    client.force_login(make_user(Role.EXECUTIVE, language="zh-hans"))
    page = client.get("/risks/heatmap/?rating=residual").content.decode()
    assert "剩余风险评级：各项风险在落实应对措施之后的评级。" in page
    assert '<a href="?rating=residual" aria-current="true">剩余</a>' in page
    assert (
        '<a class="more" href="/risks/?rating=residual&amp;likelihood=2&amp;impact=3">另有 1 项</a>' in page
    )
    assert f">{crowded['crowd'][4].ref}</a>" in page  # alone in 1 × 1


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            ["Inherent ratings: each risk before any treatment.", "+{count} more", "Likelihood {likelihood}"],
        ),
        (
            "zh-hans",
            [
                "固有风险评级：各项风险在采取任何应对措施之前的评级。",
                "另有 {count} 项",
                "可能性 {likelihood}",
            ],
        ),
    ],
)
def test_the_dashboard_card_carries_its_switch_and_its_words(client, make_user, matrix, language, words):
    client.force_login(make_user(Role.EXECUTIVE, language=language))
    page = client.get("/dashboard/").content.decode()
    assert 'data-heatmap-rating="inherent" aria-pressed="true"' in page
    assert 'data-heatmap-rating="residual" aria-pressed="false"' in page
    assert 'data-risk-url="/risks/0/"' in page and 'data-register-url="/risks/"' in page
    for text in words:
        assert text in page
