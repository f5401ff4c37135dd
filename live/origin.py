"""Who may open a WebSocket from where.

A browser signs in with its session cookie, so its handshake must come from one of our own
origins (a page elsewhere could otherwise ride on the cookie). A client with a `?ticket=`
authenticates by the ticket alone, the cookie ignored, so it needs no Origin header: scripts
and other systems send none.
"""

from urllib.parse import parse_qs

from channels.security.websocket import AllowedHostsOriginValidator


def ticket_of(scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("ticket")
    return values[0] if values else None


class OriginCheckedUnlessTicket:
    def __init__(self, application):
        self.application = application
        self.origin_checked = AllowedHostsOriginValidator(application)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and ticket_of(scope) is not None:
            return await self.application(scope, receive, send)
        return await self.origin_checked(scope, receive, send)
