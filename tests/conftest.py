"""The suite's root: shared fixtures (tests/fixtures/), the order tests run in."""

import os

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls that
# tests make alongside it are still synchronous, so Django's guard against them is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.people",
    "tests.fixtures.register",
    "tests.fixtures.incidents",
    "tests.fixtures.indicators",
    "tests.fixtures.integrations",
    "tests.fixtures.live",
    "tests.fixtures.browser",
    "tests.fixtures.chat",
    "tests.fixtures.world",
]


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's session-wide browser keeps an event loop running in the
    main thread, and the async (WebSocket) tests collected after it could not start their own.
    Within each part, the long real-time tests first, so that under pytest-xdist they overlap
    with the short ones instead of ending the run alone."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None,
            item.get_closest_marker("slow") is None,
        )
    )
