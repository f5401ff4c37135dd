"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The WebSocket stack reads the session cookie but not the person: each stream reads the session's
person in the same trip to the database thread as its permission check (live/consumers.py), one
trip per connection where Channels' AuthMiddleware made one more of its own."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from live.origin import OriginCheckedUnlessTicket  # noqa: E402
from riskops.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginCheckedUnlessTicket(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
