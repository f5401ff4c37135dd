"""The project's settings with channels_redis's default RedisChannelLayer, for bench/push only."""

from riskops.settings import *  # noqa: F403
from riskops.settings import REDIS_URL

CHANNEL_LAYERS = {
    "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
}
