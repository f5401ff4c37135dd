"""A request body sent in chunks, given its length before Django's WSGI handler reads it.

Django's WSGI handler reads as many bytes of a body as its Content-Length says, and none without
one, so a body sent in chunks with no length (`curl -T -`, some webhook senders) would reach a
view empty. This ASGI step reads such a body first and passes it on with its length. It stops
reading past the largest body any request may have, so the size check (riskops/request_size.py)
refuses it, 413, without the rest ever being held.
"""

from django.conf import settings


class WholeBody:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not _chunked(scope["headers"]):
            return await self.app(scope, receive, send)
        limit = max(settings.MAX_REQUEST_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        body, more = bytearray(), True
        while more and len(body) <= limit:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = [(name, value) for name, value in scope["headers"] if name != b"transfer-encoding"]
        headers.append((b"content-length", str(len(body)).encode()))
        given = False

        async def whole():
            nonlocal given
            if given:
                return await receive()  # after the body: the client's disconnect
            given = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        return await self.app({**scope, "headers": headers}, whole, send)


def _chunked(headers) -> bool:
    names = {name for name, _ in headers}
    return b"transfer-encoding" in names and b"content-length" not in names
