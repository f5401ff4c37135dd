"""The register list: filters, search, ordering, pagination, a constant number of queries; the heat map."""

import datetime as dt

import pytest

from people.models import Role
from risks import selectors, services
from risks.models import RiskMatrix
from tests.factories import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(make_risk, make_user):
    buyer = make_user(Role.RESPONDER, username="buyer")
    return {
        "supply": make_risk(title="Key supplier stops deliveries", owner=buyer, likelihood=4, impact=5),
        "cash": make_risk(
            title="Operating cash flow negative", category_key="financial", likelihood=2, impact=2
        ),
        "outage": make_risk(
            title="Core system outage",
            category_key="technology",
            likelihood=3,
            impact=4,
            next_review_at=NOW - dt.timedelta(days=1),
        ),
    }


def refs(response):
    return [row["ref"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["supply", "cash", "outage"]),
        ("?level=critical", ["supply"]),
        ("?level=high", ["outage"]),
        ("?category=financial", ["cash"]),
        ("?review_overdue=true", ["outage"]),
        ("?search=SUPPLIER", ["supply"]),
        ("?search=R-0002", ["cash"]),
        ("?ordering=-score", ["supply", "outage", "cash"]),
        ("?ordering=level", ["cash", "outage", "supply"]),
        ("?ordering=-ref", ["outage", "cash", "supply"]),
    ],
)
def test_filters_search_and_ordering(api, executive, register, query, expected):
    response = api.as_user(executive).get(f"/api/v1/risks/{query}")
    assert response.status_code == 200
    assert refs(response) == [register[name].ref for name in expected]


def test_owner_filter(api, executive, register):
    owner = register["supply"].owner
    assert refs(api.as_user(executive).get(f"/api/v1/risks/?owner={owner.id}")) == [register["supply"].ref]


@pytest.mark.parametrize("query", ["?level=extreme", "?owner=abc", "?ordering=secret", "?category=nope"])
def test_bad_filters_are_field_errors(api, executive, register, query):
    response = api.as_user(executive).get(f"/api/v1/risks/{query}")
    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.json()


def test_pagination(api, executive, register):
    data = api.as_user(executive).get("/api/v1/risks/?limit=2").json()
    assert data["count"] == 3 and len(data["results"]) == 2 and data["next"]


def test_the_list_costs_the_same_queries_for_3_or_30_risks(
    api, executive, make_risk, django_assert_num_queries
):
    for _ in range(3):
        make_risk()
    client = api.as_user(executive)
    client.get("/api/v1/risks/")  # the token is cached by nothing: both runs pay the same
    # token lookup, count, page (its ids picked by a subquery; risks with category, owner and
    # the matrix's version in one join)
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/risks/").json()["results"]) == 3
    for _ in range(27):
        make_risk()
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/risks/").json()["results"]) == 30
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/risks/?ordering=-level&offset=20").json()["results"]) == 10


@pytest.mark.parametrize("ordering", ["-score", "level", "-residual_level", "owner", "title"])
def test_a_deep_page_holds_the_rows_the_whole_list_has_there(api, executive, make_risk, make_user, ordering):
    owners = [make_user(Role.RESPONDER, username=name) for name in ("buyer", "treasurer", "oncall")]
    for n in range(12):
        make_risk(
            title=f"Risk {11 - n}",
            owner=owners[n % 3],
            likelihood=n % 5 + 1,
            impact=n // 3 % 5 + 1,
            residual_likelihood=n % 3 + 1,
            residual_impact=n % 4 + 1,
        )
    client = api.as_user(executive)
    whole = refs(client.get(f"/api/v1/risks/?ordering={ordering}"))
    pages = [
        refs(client.get(f"/api/v1/risks/?ordering={ordering}&limit=5&offset={start}")) for start in (0, 5, 10)
    ]
    assert len(whole) == 12 and sum(pages, []) == whole


def test_heatmap_counts_and_names_per_cell_in_two_queries(
    api, executive, register, django_assert_num_queries
):
    client = api.as_user(executive)
    # token lookup, active matrix, the cells' counts, their first risks
    with django_assert_num_queries(4):
        data = client.get("/api/v1/risks/heatmap/").json()
    cells = {(cell["likelihood"], cell["impact"]): cell for cell in data["cells"]}
    assert len(cells) == 25 and data["total"] == 3
    supply = register["supply"]
    assert cells[(4, 5)] == {
        "likelihood": 4,
        "impact": 5,
        "level": "critical",
        "count": 1,
        "risks": [{"id": supply.pk, "ref": supply.ref, "title": supply.title}],
    }
    assert cells[(3, 4)]["count"] == 1 and cells[(2, 2)]["count"] == 1 and cells[(1, 1)]["count"] == 0


def test_heatmap_of_residual_ratings(api, executive, register, risk_officer):
    services.risk_rerate(
        risk=register["supply"], by=risk_officer, reason="x", residual_likelihood=1, residual_impact=1
    )
    data = api.as_user(executive).get("/api/v1/risks/heatmap/?rating=residual").json()
    cells = {(cell["likelihood"], cell["impact"]): cell["count"] for cell in data["cells"]}
    assert cells[(1, 1)] == 1 and cells[(4, 5)] == 0
    assert api.get("/api/v1/risks/heatmap/?rating=target").status_code == 400


def test_the_matrix_as_the_contract_says(api, executive, make_user, matrix):
    data = api.as_user(executive).get("/api/v1/risk-matrix/").json()
    assert data["version"] == 1
    assert data["likelihood"][0] == {"value": 1, "label": "Rare"}
    assert [level["key"] for level in data["levels"]] == ["low", "medium", "high", "critical"]
    assert {level["key"]: level["review_interval"] for level in data["levels"]} == {
        "low": "P365D",
        "medium": "P180D",
        "high": "P90D",
        "critical": "P30D",
    }
    assert data["levels"][3]["color"].startswith("#")
    assert len(data["grid"]) == 5 and data["grid"][4][4] == "critical" and data["grid"][0][0] == "low"
    # Labels in the reader's own language.
    chinese = api.as_user(make_user(Role.EXECUTIVE, language="zh-hans")).get("/api/v1/risk-matrix/").json()
    assert chinese["likelihood"][4]["label"] == "几乎确定" and chinese["levels"][3]["label"] == "极高"


def test_active_matrix_is_the_newest_version(matrix):
    services.matrix_revise(
        by=None,
        likelihood=matrix.likelihood,
        impact=matrix.impact,
        levels=matrix.levels,
        grid=matrix.grid,
        appetite="low",
    )
    assert selectors.matrix_active().version == 2 and RiskMatrix.objects.count() == 2
