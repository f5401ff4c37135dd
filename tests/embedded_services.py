"""Loaded by pytest before Django's settings (see pyproject's addopts).

With no REDIS_URL, the suite gets a private redis-server of its own, started here so that
the settings, Celery and Channels all read its address; it stops when pytest exits. Under
pytest-xdist the workers inherit it, and each takes a Redis database of its own.
"""

import atexit
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Before anything imports the project (riskops/__init__ loads the Celery app, which would
# settle on the project's own settings): the suite's settings, inherited by the processes it starts.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from riskops.embedded_redis import EmbeddedRedis  # noqa: E402

if not os.environ.get("REDIS_URL"):
    _redis = EmbeddedRedis(Path(__file__).resolve().parent.parent / "var" / "test-redis").start()
    atexit.register(_redis.stop)
    os.environ["REDIS_URL"] = _redis.url

# Two xdist workers must not consume each other's Celery messages nor read each other's beat
# heartbeat: worker gwN uses database N + 1 (live groups are kept apart in tests/settings.py).
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    _url = urlsplit(os.environ["REDIS_URL"])
    os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{int(worker.removeprefix('gw')) + 1}"))
