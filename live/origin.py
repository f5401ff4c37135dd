"""Who may open a WebSocket from where.

A browser signs in with its session cookie, so its handshake must come from one of our own
origins (a page elsewhere could otherwise ride on the cookie): the same scheme, host AND port as
the address it connected to (its Host header, on an allowed host), or one of the site's declared
origins (`DJANGO_CSRF_TRUSTED_ORIGINS`, `RISKOPS_SITE_URL`). Another port on the same host is
another origin: another program there must not ride on the cookie either. A client with a
`?ticket=` authenticates by the ticket alone, the cookie ignored, so it needs no Origin header:
scripts and other systems send none.
"""

from urllib.parse import parse_qs, urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def ticket_of(scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("ticket")
    return values[0] if values else None


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or URL; None when it is not an http(s) one."""
    try:
        parts = urlsplit(url.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def own_origins(scope) -> set[tuple[str, str, int]]:
    """The origins a cookie-authenticated handshake may come from."""
    declared = [*settings.CSRF_TRUSTED_ORIGINS, settings.SITE_URL]
    origins = {origin for url in declared if url and (origin := _origin(url))}
    host = _header(scope, b"host")
    domain, _port = split_domain_port(host)
    if host and domain and validate_host(domain, settings.ALLOWED_HOSTS):
        schemes = {"https" if scope.get("scheme") in ("wss", "https") else "http"}
        if settings.PROXY_COUNT and _header(scope, b"x-forwarded-proto").lower() == "https":
            schemes.add("https")  # the proxy in front ended TLS
        origins |= {origin for scheme in schemes if (origin := _origin(f"{scheme}://{host}"))}
    return origins


def origin_allowed(scope) -> bool:
    origin = _origin(_header(scope, b"origin"))
    return origin is not None and origin in own_origins(scope)


class OriginCheckedUnlessTicket:
    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket" or ticket_of(scope) is not None or origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
