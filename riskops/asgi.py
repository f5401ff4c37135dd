"""ASGI entry point: HTTP through Django's WSGI handler on a few threads, WebSockets through Channels.

Every page and API call is a synchronous view. Django's ASGI handler runs each request on a thread
made for it and joined after it, and hops between that thread and the event loop for its signals
and middleware: 2–3 ms of the event loop's CPU a request (bench/pages/server_cpu.py), as much as a
kept page's own rendering. Served as WSGI on HTTP_THREADS threads that are kept (a2wsgi), the
event loop only carries the bytes; a request's context (its request id for the logs) is its own,
copied per call. The threads also bound how many requests of one process run at once, like its
connection pool. Another thread serves a page while one waits on the database, but the threads of
one process share one interpreter (bench/pages/run.py on 2 cores: 4 processes of 4 threads and 8
of 2 gave the same p95 within the runs' spread). A body sent in chunks is given its length first
(riskops/whole_body.py): the WSGI handler reads only as much as a request's Content-Length says.

The WebSocket stack reads the session cookie but not the person: each stream reads the session's
person in the same trip to the database thread as its permission check (live/consumers.py), one
trip per connection where Channels' AuthMiddleware made one more of its own."""

import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

from riskops.whole_body import WholeBody

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")
HTTP_THREADS = int(os.environ.get("HTTP_THREADS", "4"))  # requests of one process at once
django_http_app = WholeBody(WSGIMiddleware(get_wsgi_application(), workers=HTTP_THREADS))

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from live.origin import OriginCheckedUnlessTicket  # noqa: E402
from riskops.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_http_app,
        "websocket": OriginCheckedUnlessTicket(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
