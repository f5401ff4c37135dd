"""Hard edges, driven through a real Uvicorn server as an attacker or a careless client would:
bodies nested too deep, numbers past what the database or `datetime` holds, pages too large,
unknown filter values, texts too long, a Redis outage, and WebSockets from another origin.

Every answer is a 4xx in the contract's error shape (API.md, "Errors"), never a 5xx, and nothing
is written. The limits themselves are in core/limits.py and core/pagination.py.
"""

import io
import json
import urllib.error
import urllib.request
import uuid

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from audit.models import AuditEntry
from core.limits import MAX_DEPTH, TEXT_MAX_LENGTH
from core.pagination import MAX_LIMIT
from incidents.models import Incident, TimelineEntry
from indicators.models import KRI, Reading
from notifications.models import Notification
from playbooks.models import Playbook
from riskops.embedded_redis import free_port
from risks import services as risk_services
from risks.models import Risk
from tests.factories import three_tier_spec
from tests.fixtures.live import session_cookie
from tests.riskops.error_shape import assert_contract_error

pytestmark = pytest.mark.django_db(transaction=True)

DEEP = 100_000  # brackets: what made Python's JSON and YAML parsers raise RecursionError
HUGE = 10**30  # past 64 bits


class Answer:
    def __init__(self, status: int, headers, content: bytes):
        self.status, self.headers, self.content = status, headers, content

    def json(self):
        return json.loads(self.content)

    def refused(self, status: int = 400) -> "Answer":
        """A refusal in the contract's error shape."""
        assert self.status == status, (self.status, self.content[:300])
        assert_contract_error(self.status, self.headers.get("Content-Type", ""), self.content)
        return self


class Client:
    """Raw HTTP to a real server: any body, any header."""

    def __init__(self, server, token: str | None = None):
        self.server, self.token = server, token

    def send(self, method: str, path: str, body: bytes | None = None, content_type: str = "", **headers):
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.server.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def get(self, path: str) -> Answer:
        return self.send("GET", path)

    def post(self, path: str, data) -> Answer:
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        return self.send("POST", path, body, "application/json")

    def upload(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> Answer:
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            out.write(value.encode() + b"\r\n")
        for name, (filename, content) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            out.write(content + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.send("POST", path, out.getvalue(), f"multipart/form-data; boundary={boundary}")


def token_of(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


def written() -> dict[str, int]:
    """Row counts of what a refused request could have written."""
    models = [Risk, Playbook, Incident, TimelineEntry, KRI, Reading, AuditEntry]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def server(asgi_servers):
    return asgi_servers.start()


@pytest.fixture
def world(cast, playbook, incident):
    risk_services.matrix_ensure_default()
    return {"cast": cast, "playbook": playbook, "incident": incident}


def new_risk(cast) -> dict:
    return {
        "title": "Typhoon closes the east warehouse",
        "category": "supply-chain",
        "owner": cast["officer"].pk,
        "likelihood": 3,
        "impact": 4,
        "reason": "r",
    }


def deep_json(depth: int = DEEP) -> bytes:
    return b"[" * depth + b"]" * depth


def test_bodies_nested_too_deep_are_refused_by_every_parser(server, world):
    cast, before = world["cast"], written()
    anonymous, officer = Client(server), Client(server, token_of(cast["officer"]))

    # JSON, even signed out: the token endpoint parses before it authenticates.
    anonymous.post("/api/v1/auth/token/", deep_json()).refused()
    for path in ("/api/v1/risks/", "/api/v1/playbooks/", "/api/v1/playbooks/validate/", "/api/v1/kris/"):
        answer = officer.post(path, deep_json()).refused()
        assert "nested" in answer.json()["detail"]
    # Just past the limit is refused as well, not only what breaks Python's parser.
    just_past = json.dumps({"name": "x", "tiers": json.loads(deep_json(MAX_DEPTH))}).encode()
    officer.post("/api/v1/playbooks/", just_past).refused()

    # YAML (the body, or an uploaded file), and YAML aliases that multiply into millions of values.
    yaml_body = b"name: " + b"[" * DEEP + b"]" * DEEP
    officer.send("POST", "/api/v1/playbooks/import/", yaml_body, "application/yaml").refused()
    officer.upload("/api/v1/playbooks/import/", {}, {"file": ("plan.yaml", yaml_body)}).refused()
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]\n" for n in range(8)
    )
    answer = officer.send("POST", "/api/v1/playbooks/import/", laughs.encode(), "application/yaml").refused()
    assert "file" in answer.json()

    # JSON inside a multipart form (a KRI's rule).
    rule = deep_json().decode()
    fields = {"name": "Deep", "direction": "higher_is_worse", "amber": "1", "red": "2", "rule": rule}
    answer = officer.upload("/api/v1/kris/", fields, {}).refused()
    assert "rule" in answer.json()

    # CSV: a cell longer than the csv module reads, and a NUL byte.
    for content in (
        b"kri,value,measured_at\n1," + b"9" * 200_000 + b",\n",
        b"kri,value\x00,measured_at\n1,2,\n",
    ):
        answer = officer.upload("/api/v1/kris/readings/import/", {}, {"file": ("r.csv", content)}).refused()
        assert "file" in answer.json()
    header = b"title,category,owner,likelihood,impact,cause\n"
    answer = officer.upload(
        "/api/v1/risks/import/", {}, {"file": ("r.csv", header + b'"' + b"x" * 200_000 + b'",a,b,1,1,c\n')}
    )
    assert answer.status == 400 and "file" in answer.json(), answer.content[:300]
    assert written() == before


def test_numbers_past_the_database_or_datetime_are_field_errors(server, world):
    cast, incident, before = world["cast"], world["incident"], written()
    admin, officer = Client(server, token_of(cast["admin"])), Client(server, token_of(cast["officer"]))

    for path, field in [
        (f"/api/v1/risks/?limit={HUGE}", "limit"),
        (f"/api/v1/risks/?offset={HUGE}", "offset"),
        ("/api/v1/incidents/?limit=-1", "limit"),
        ("/api/v1/playbooks/?offset=x", "offset"),
        (f"/api/v1/audit-log/?actor={HUGE}", "actor"),
        (f"/api/v1/risks/?likelihood={HUGE}", "likelihood"),
        (
            f"/api/v1/playbooks/{world['playbook'].pk}/preview/?declared_at=9999-12-31T23:59:59-12:00",
            "declared_at",
        ),
        ("/api/v1/analytics/?until=9999-12-31T23:59:59-12:00", "until"),
    ]:
        assert field in admin.get(path).refused().json(), path
    assert admin.get(f"/api/v1/risks/{HUGE}/").status == 404

    spec = three_tier_spec(cast)
    for path_in_spec, value in [
        (("steps", 0, "due_after"), 10**20),
        (("steps", 0, "due_after"), "P99999999999D"),
        (("steps", 0, "escalate_after"), "PT99999999999999999999H"),
        (("tiers", 1, "starts_after"), "P4000D"),
        (("steps", 0, "order"), 2**40),
    ]:
        edited = json.loads(json.dumps(spec))
        edited[path_in_spec[0]][path_in_spec[1]][path_in_spec[2]] = value
        answer = officer.post("/api/v1/playbooks/", edited).refused().json()
        assert path_in_spec[2] in answer[path_in_spec[0]][str(path_in_spec[1])], answer

    risk = new_risk(cast)
    for field, value in [
        ("review_interval_days", 10**9),
        ("next_review_at", "9999-12-31T23:59:59-12:00"),
        ("version", HUGE),
    ]:
        assert field in officer.post("/api/v1/risks/", {**risk, field: value}).refused().json()
    task = incident.tasks.filter(state="open").first()
    commander = Client(server, token_of(cast["commander"]))
    far = {"due_at": "9999-12-31T23:59:59-12:00", "reason": "later"}
    assert "due_at" in commander.post(f"/api/v1/tasks/{task.pk}/reassign/", far).refused().json()
    declare = {"title": "t", "severity": 2, "playbook": HUGE, "commander": cast["commander"].pk}
    assert "playbook" in commander.post("/api/v1/incidents/", declare).refused().json()
    readings = admin.post("/api/v1/kris/readings/", [{"kri": HUGE, "value": 1}]).refused().json()
    assert "kri" in json.dumps(readings)
    assert written() == before


def test_a_page_holds_at_most_the_documented_maximum(server, world):
    person = world["cast"]["buyer"]
    Notification.objects.bulk_create(
        Notification(recipient=person, kind="task.overdue", title=f"n{n}") for n in range(MAX_LIMIT + 5)
    )
    page = Client(server, token_of(person)).get("/api/v1/notifications/?limit=100000")
    assert page.status == 200
    assert len(page.json()["results"]) == MAX_LIMIT
    assert page.json()["count"] == Notification.objects.filter(recipient=person).count() > MAX_LIMIT


def test_unknown_filter_values_are_refused_naming_the_allowed_ones(server, world):
    admin = Client(server, token_of(world["cast"]["admin"]))
    for path, field, allowed in [
        ("/api/v1/incidents/?status=bogus", "status", "active, stabilized, resolved, closed"),
        ("/api/v1/incidents/?drill=perhaps", "drill", "true, false"),
        ("/api/v1/tasks/?mine=perhaps", "mine", "true, false"),
        ("/api/v1/follow-ups/?mine=perhaps", "mine", "true, false"),
        ("/api/v1/playbooks/?status=bogus", "status", "draft, published, retired"),
        ("/api/v1/risks/?level=bogus", "level", "low, medium, high, critical"),
        ("/api/v1/risks/?status=bogus", "status", "open"),
        ("/api/v1/risks/?category=bogus", "category", "supply-chain"),
        ("/api/v1/risks/?ordering=bogus", "ordering", "ref"),
        ("/api/v1/risks/?review_overdue=perhaps", "review_overdue", "true, false"),
        ("/api/v1/risks/heatmap/?rating=bogus", "rating", "inherent, residual"),
        ("/api/v1/risks/export/?type=pdf", "type", "csv, xlsx"),
        ("/api/v1/analytics/?by=bogus", "by", "severity"),
        ("/api/v1/notifications/?unread=perhaps", "unread", ""),
    ]:
        answer = admin.get(path).refused().json()
        assert field in answer and allowed in " ".join(answer[field]), (path, answer)


def test_texts_past_their_limit_are_refused_with_the_field_named_never_cut(server, world):
    cast, incident, before = world["cast"], world["incident"], written()
    officer, commander = (
        Client(server, token_of(cast["officer"])),
        Client(server, token_of(cast["commander"])),
    )
    too_long = "风" * (TEXT_MAX_LENGTH + 1)
    risk = new_risk(cast)
    for field in ("cause", "event", "consequence", "description"):
        answer = officer.post("/api/v1/risks/", {**risk, field: too_long}).refused().json()
        assert answer[field] == [f"Ensure this field has no more than {TEXT_MAX_LENGTH} characters."]
    answer = commander.post(f"/api/v1/incidents/{incident.pk}/updates/", {"body": too_long}).refused()
    assert "body" in answer.json()
    task = incident.tasks.filter(state="open").first()
    assert "reason" in commander.post(f"/api/v1/tasks/{task.pk}/skip/", {"reason": too_long}).refused().json()
    spec = three_tier_spec(cast)
    spec["steps"][0]["instructions"] = too_long
    assert "instructions" in officer.post("/api/v1/playbooks/", spec).refused().json()["steps"]["0"]
    # Exactly at the limit is accepted, whole.
    created = officer.post("/api/v1/risks/", {**risk, "cause": "因" * TEXT_MAX_LENGTH})
    assert created.status == 201 and created.json()["cause"] == "因" * TEXT_MAX_LENGTH
    assert written()["Risk"] == before["Risk"] + 1


def test_a_ticket_while_redis_is_down_is_a_503_to_retry(asgi_servers, cast):
    dead = asgi_servers.start(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    answer = Client(dead, token_of(cast["buyer"])).send("POST", "/api/v1/ws-ticket/")
    assert answer.status == 503, answer.content[:300]
    assert answer.headers["Retry-After"] == "5"
    assert "Try again" in answer.json()["detail"]


def test_pages_of_kept_parts_still_answer_while_redis_is_down(asgi_servers, world):
    """Parts are kept in Redis for every process (core/shared_parts.py); without it each process
    renders its own, and nobody's page fails."""
    dead = asgi_servers.start(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    cast, incident = world["cast"], world["incident"]
    pages = {
        "ceo": ["/dashboard/", "/risks/", f"/incidents/{incident.pk}/"],
        "commander": [f"/incidents/{incident.pk}/"],
    }
    for who, paths in pages.items():
        for path in paths * 2:  # rendered, then asked again
            answer = Client(dead).send("GET", path, Cookie=session_cookie(cast[who]))
            assert answer.status == 200, (path, answer.status, answer.content[:300])
    assert incident.title in answer.content.decode()


def test_a_cookie_websocket_must_come_from_the_sites_own_scheme_host_and_port(server, world):
    cookie = session_cookie(world["cast"]["ceo"])
    path = f"{server.ws_url}/ws/incidents/{world['incident'].pk}/"

    def opens(origin: str) -> bool:
        try:
            with connect(
                path, origin=origin, additional_headers={"Cookie": cookie}, open_timeout=10
            ) as socket:
                return json.loads(socket.recv(timeout=10))["type"] == "snapshot"
        except InvalidStatus as refused:
            assert refused.response.status_code == 403
            return False

    assert opens(f"http://127.0.0.1:{server.port}")
    assert not opens(f"http://127.0.0.1:{free_port()}")  # another program on this host
    assert not opens(f"https://127.0.0.1:{server.port}")  # another scheme
    assert not opens(f"http://localhost:{server.port}")  # another host than the one connected to
    assert not opens("http://evil.example")


def api_views():
    """Every DRF view the URLs route to, with its actions' own parser classes."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                if view is not None and hasattr(view, "parser_classes"):
                    actions = getattr(pattern.callback, "actions", None) or {}
                    for name in set(actions.values()) or {None}:
                        method = getattr(view, name, None) if name else None
                        kwargs = getattr(method, "kwargs", {}) or {}
                        yield view, kwargs.get("parser_classes", view.parser_classes)

    yield from walk(get_resolver().url_patterns)


@pytest.mark.django_db(transaction=False)
def test_every_view_parses_json_with_the_bounded_parser():
    from rest_framework.parsers import JSONParser

    from core.limits import BoundedJSONParser

    checked = 0
    for view, parsers in api_views():
        for parser in parsers:
            if issubclass(parser, JSONParser):
                assert issubclass(parser, BoundedJSONParser), (view, parser)
                checked += 1
    assert checked > 50


def test_a_draft_whose_deadlines_could_pass_the_year_9999_is_refused_at_publish(server, world):
    """A draft saved before durations were bounded (or written around the API) is checked again
    when it is published, so that no published plan can make declaring or previewing fail."""
    import datetime as dt

    from playbooks.models import Step
    from playbooks.services import playbook_create

    cast = world["cast"]
    draft = playbook_create(spec=three_tier_spec(cast), created_by=cast["officer"])
    Step.objects.filter(tier__playbook=draft).update(due_after=dt.timedelta(days=3_000_000))
    officer = Client(server, token_of(cast["officer"]))
    answer = officer.post(f"/api/v1/playbooks/{draft.pk}/publish/", {}).refused().json()
    assert "due_after" in answer["steps"]["0"], answer
    draft.refresh_from_db()
    assert draft.status == "draft"
