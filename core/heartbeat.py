"""Beat's heartbeat: its scheduler records each tick in Redis; /healthz reads how old the last is."""

import time

import redis
from django.conf import settings

BEAT_HEARTBEAT_KEY = "riskops:beat:heartbeat"
TIMEOUT = 1.0  # seconds: a Redis that does not answer by then is not waited for


def record_beat_tick() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    client.set(BEAT_HEARTBEAT_KEY, time.time(), ex=300)
