"""The suite's settings: the project's own, with what only tests may change.

pytest names this module (pyproject's DJANGO_SETTINGS_MODULE) and the processes that tests
start (workers, beat, Uvicorn) inherit it through the environment, so they agree on it.
"""

import os

from riskops.settings import *  # noqa: F403

# Django's production hasher costs about 0.5 s a password here, paid by every test user;
# passwords are not what the suite is about (tests/security asserts the production hasher).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Redis publish/subscribe ignores database numbers: under pytest-xdist, each worker's live
# groups get a prefix of their own (its Redis database is chosen in tests/embedded_services.py).
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"asgi-{worker}"  # noqa: F405

# Escalation bursts are grouped over 2 s rather than a minute, so tests with workers do not wait.
NOTIFICATION_GROUP_SECONDS = 2
