"""The application's own keys in Redis (REDIS_URL): page parts kept for every process
(core/shared_parts.py) and WebSocket tickets (live/tickets.py), through one pool per process.

Short timeouts: a Redis that does not answer fails a call within a second instead of holding the
thread of a page or a WebSocket connection.
"""

import functools

import redis
from django.conf import settings


@functools.cache
def redis_store() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.2, socket_timeout=1)
