"""Loaded by pytest before Django's settings (see pyproject's addopts).

With no REDIS_URL, the suite gets a private redis-server of its own, started here so that
the settings, Celery and Channels all read its address; it stops when pytest exits.
"""

import atexit
import os
from pathlib import Path

from riskops.embedded_redis import EmbeddedRedis

if not os.environ.get("REDIS_URL"):
    _redis = EmbeddedRedis(Path(__file__).resolve().parent.parent / "var" / "test-redis").start()
    atexit.register(_redis.stop)
    os.environ["REDIS_URL"] = _redis.url
