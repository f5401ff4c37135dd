"""Every operation of the served OpenAPI schema, fuzzed by schemathesis, as an administrator and
as a responder inside an incident: no 5xx, and every 4xx in the contract's error shape.

Runs in-process against Django's WSGI handler, so the requests see the test's database. The data
they work on (the demo register, playbooks and KRIs, one incident) is made once for the module,
inside a transaction rolled back at its end. Path parameters are drawn half the time from the ids
of that data, so the fuzzer reaches real objects rather than only 404s.

Each example may also be pushed over a hard edge (`EDGES`): its JSON body nested deeper than
any parser should follow, every whole number in its body and query made 10^30 (past 64 bits) with
`?offset=` too, or every time and duration in it moved past what `datetime` holds. These change
examples schemathesis draws anyway, so the run costs no more.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from incidents.models import Incident
from incidents.services.declaration import incident_declare
from people.models import Role, User
from playbooks.models import Playbook
from riskops.demo import load_demo_data
from risks.models import Risk
from tests.riskops.error_shape import assert_contract_error

EXAMPLES_PER_OPERATION = 12
EDGES = ("none", "none", "deep", "huge", "far")
HUGE = 10**30
FAR_INSTANT = "9999-12-31T23:59:59-12:00"
FAR_DURATION = "P99999999999D"

config = SchemathesisConfig.from_dict(
    {
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "mode": "all",
            "deterministic": True,
            "allow-x00": False,
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=config)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo data plus one incident, and the ids the fuzzer may use in paths."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        commander = User.objects.get(username="crisis.lead")
        playbook = Playbook.objects.filter(status="published").order_by("pk").first()
        incident = incident_declare(
            title="供应链中断 supply break",
            severity=2,
            playbook_id=playbook.pk,
            commander=commander,
            declared_by=commander,
            risks=list(Risk.objects.order_by("pk")[:1]),
        )
        admin = User.objects.filter(role=Role.ADMIN).first() or User.objects.create_superuser(
            username="fuzz-admin", password="Correct-Horse-42", role=Role.ADMIN
        )
        ids = sorted({incident.pk, *Incident.objects.values_list("pk", flat=True), 1, 2, 3})
        yield {"admin": admin, "responder": commander, "ids": ids}
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["admin", "responder"])
def token(request, seeded, db):
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=seeded[request.param])[0].key


def check_contract_error(ctx, response, case):
    """A 4xx answers in the contract's error shape (API.md, "Errors")."""
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type", [""])[0]
        assert_contract_error(response.status_code, content_type, response.content)
    return None


@schema.parametrize()
@schema.given(data=st.data())
# The database rows the requests write are the test's own and rolled back with it.
@settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_an_error_outside_the_contract(case, data, token, seeded):
    for name in case.path_parameters or {}:
        if data.draw(st.booleans(), label=f"real {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(seeded["ids"]), label=name)
    edge = data.draw(st.sampled_from(EDGES), label="edge")
    push_over_an_edge(case, edge)
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[not_a_server_error, check_contract_error])


def nested(depth: int):
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def moved(value, edge: str, key: str = ""):
    """`value` with its whole numbers made HUGE ("huge"), or its times and durations far ("far")."""
    if isinstance(value, dict):
        return {name: moved(item, edge, str(name)) for name, item in value.items()}
    if isinstance(value, list):
        return [moved(item, edge, key) for item in value]
    if (
        edge == "huge"
        and isinstance(value, int | str)
        and not isinstance(value, bool)
        and str(value).isdigit()
    ):
        return HUGE if isinstance(value, int) else str(HUGE)
    if edge == "far" and isinstance(value, str):
        if key.endswith("_at") or key in {"since", "until"}:
            return FAR_INSTANT
        if key.endswith("_after"):
            return FAR_DURATION
    return value


def push_over_an_edge(case, edge: str) -> None:
    if edge == "deep":
        if isinstance(case.body, dict):
            case.body = {**case.body, next(iter(case.body), "nested"): nested(200)}
        elif isinstance(case.body, list):
            case.body = nested(200)
        elif isinstance(case.body, str):  # a YAML playbook file
            case.body = "[" * 20_000 + "]" * 20_000
    elif edge in ("huge", "far"):
        if isinstance(case.body, dict | list):
            case.body = moved(case.body, edge)
        case.query = moved(dict(case.query or {}), edge)
        if edge == "huge" and case.method.upper() == "GET":
            case.query["offset"] = str(HUGE)
