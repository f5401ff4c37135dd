"""Sign-in throttling, password rules, headers and cookies, request size, production settings,
and no secret in the repository or the logs."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from people.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_login_page_locks_a_username_out_at_the_5th_failure_from_one_address(make_user):
    person = make_user(Role.RESPONDER)
    browser = Client()
    assert [sign_in(browser, person.username, "wrong").status_code for _ in range(5)] == [200] * 4 + [429]
    locked = sign_in(browser, person.username, PASSWORD)
    assert locked.status_code == 429 and "Too many failed sign-in attempts" in locked.content.decode()
    # The same person from another address is not locked out.
    assert sign_in(Client(), person.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(make_user):
    person = make_user(Role.RESPONDER)
    browser = Client()
    statuses = [
        browser.post(
            "/login/",
            {"username": person.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        ).status_code
        for attempt in range(5)
    ]
    assert statuses == [200] * 4 + [429]


def test_the_token_endpoint_is_throttled_with_the_contract_error_shape(api, make_user):
    person = make_user(Role.RESPONDER)
    refused = [
        api.post("/api/v1/auth/token/", {"username": person.username, "password": "wrong"}, format="json")
        for _ in range(5)
    ]
    assert [response.status_code for response in refused] == [400] * 4 + [429]
    locked = api.post(
        "/api/v1/auth/token/", {"username": person.username, "password": PASSWORD}, format="json"
    )
    assert locked.status_code == 429
    assert locked.json() == {"detail": "Too many failed sign-in attempts. Try again in 15 minutes."}


def test_signing_in_on_the_login_page_before_the_limit_starts_the_count_again(make_user):
    person = make_user(Role.RESPONDER)
    for _ in range(2):
        browser = Client()
        assert [sign_in(browser, person.username, "wrong").status_code for _ in range(4)] == [200] * 4
        assert sign_in(browser, person.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "administrator-x"])
def test_weak_passwords_are_refused_when_an_admin_creates_a_person(api, admin, password):
    body = {
        "username": "administrator-x",
        "password": password,
        "email": "a@example.com",
        "role": "responder",
    }
    response = api.as_user(admin).post("/api/v1/users/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == ["password"]


def test_pages_send_the_content_security_policy_and_safe_headers(make_user):
    browser = Client()
    browser.force_login(make_user(Role.RESPONDER))
    response = browser.get("/")
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert (
        policy["default-src"] == "'self'"
        and policy["script-src"] == "'self'"
        and policy["style-src"] == "'self'"
    )
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only_and_same_site(make_user):
    browser = Client()
    person = make_user(Role.RESPONDER)
    browser.get("/login/")
    browser.post("/login/", {"username": person.username, "password": PASSWORD})
    for name in ("sessionid", "csrftoken"):
        cookie = browser.cookies[name]
        assert cookie["httponly"] and cookie["samesite"] == "Lax", name


def test_a_json_body_over_2_5_mb_is_413_in_the_contract_error_shape(api, risk_officer):
    body = json.dumps({"title": "风" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = api.as_user(risk_officer).generic(
        "POST", "/api/v1/risks/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large (at most 2.5\xa0MB)."}


def test_an_upload_over_10_mb_is_413_and_one_under_it_is_read(api, risk_officer):
    client = api.as_user(risk_officer)
    big = SimpleUploadedFile("register.csv", b"x" * (settings.MAX_REQUEST_BYTES + 1))
    response = client.post("/api/v1/risks/import/", {"file": big}, format="multipart")
    assert response.status_code == 413 and response.json() == {
        "detail": "The request is too large (at most 10.0\xa0MB)."
    }
    small = SimpleUploadedFile("register.csv", b"title\n" + b"x" * 3_000_000)
    assert client.post("/api/v1/risks/import/", {"file": small}, format="multipart").status_code != 413


def manage(*arguments, **environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "RISKOPS_"))}
    env.update(environment, RISKOPS_VAR_DIR=os.environ.get("RISKOPS_VAR_DIR", str(settings.VAR_DIR)))
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_the_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        RISKOPS_PRODUCTION="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="riskops.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", RISKOPS_PRODUCTION="1", DJANGO_ALLOWED_HOSTS="riskops.example.com")
    assert result.returncode != 0 and "RISKOPS_PRODUCTION=1 needs DJANGO_SECRET_KEY" in result.stderr


def test_the_project_hashes_passwords_with_django_s_pbkdf2_not_the_suite_s_fast_hasher():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.hashers import make_password; print(make_password('x'))",
    )
    algorithm, iterations, _salt, _hash = result.stdout.splitlines()[-1].split("$")
    assert (algorithm, int(iterations)) == ("pbkdf2_sha256", 1_000_000), result.stderr


def test_failed_and_successful_sign_ins_leave_no_password_or_token_in_the_logs(api, make_user, caplog):
    person = make_user(Role.RESPONDER)
    caplog.set_level("DEBUG")
    browser = Client()
    for _ in range(6):
        sign_in(browser, person.username, "wrong")
    api.post(
        "/api/v1/auth/token/", {"username": person.username, "password": "wrong-Secret-99"}, format="json"
    )
    token = api.post(
        "/api/v1/auth/token/", {"username": person.username, "password": PASSWORD}, format="json"
    )
    logged = caplog.text
    assert "login failure" in logged, "the failures are logged (django-axes, WARNING)"
    assert PASSWORD not in logged and "wrong-Secret-99" not in logged and token.json()["token"] not in logged


SECRET_PATTERNS = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"SECRET_KEY\s*=\s*['\"]"),
    re.compile(r"(?i)(api[_-]?key|secret|token)\s*[:=]\s*['\"][A-Za-z0-9_\-]{24,}['\"]"),
]


def test_no_secret_is_kept_in_the_repository():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [
        name for name in files if name.startswith("var/") or name.endswith((".sqlite3", "secret_key"))
    ]
    found = []
    for name in files:
        path = ROOT / name
        if path.suffix in {".png", ".mo", ".xlsx", ".ico", ".woff2"} or not path.is_file():
            continue
        text = path.read_text(errors="ignore")
        found += [
            f"{name}: {match.group(0)}" for pattern in SECRET_PATTERNS for match in pattern.finditer(text)
        ]
    assert found == []
