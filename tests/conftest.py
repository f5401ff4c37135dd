import os

import pytest
from rest_framework.test import APIClient

from people.models import Role, Team
from people.services import user_create

PASSWORD = "Correct-Horse-42"

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls that
# tests make alongside it are still synchronous, so Django's guard against them is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(role=Role.RESPONDER, teams=(), **extra):
        username = extra.pop("username", f"{role}-{next(counter)}")
        return user_create(username=username, password=PASSWORD, role=role, teams=list(teams), **extra)

    return make


@pytest.fixture
def team(db):
    return Team.objects.create(slug="supply-chain", name="Supply chain")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def risk_officer(make_user):
    return make_user(Role.RISK_OFFICER)


@pytest.fixture
def executive(make_user):
    return make_user(Role.EXECUTIVE)


@pytest.fixture
def responder(make_user, team):
    return make_user(Role.RESPONDER, teams=[team])


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` signs it in with a token, as a script would."""

    class Client(APIClient):
        def as_user(self, user):
            from rest_framework.authtoken.models import Token

            token, _ = Token.objects.get_or_create(user=user)
            self.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            return self

    return Client()


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's session-wide browser keeps an event loop running in the
    main thread, and the async (WebSocket) tests collected after it could not start their own."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def signed_in_page(browser, live_server):
    """`signed_in_page(user)` → a Playwright page signed in as that person on the live server.

    Pages are opened with `page.goto(live_server.url + "/path/")`.
    """
    contexts = []

    def sign_in(user, password=PASSWORD):
        context = browser.new_context(locale="zh-CN" if user.language == "zh-hans" else "en-US")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot_dir():
    """Where browser tests leave their screenshots for people to look at (var/screenshots/)."""
    from django.conf import settings

    path = settings.VAR_DIR / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
