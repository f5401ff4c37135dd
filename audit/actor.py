"""Who is acting: the person behind the request in flight, for writes that are not told.

Model signals do not know who made a change; this middleware keeps the request in a context
variable so the audit can ask it. DRF authenticates tokens inside the view and sets the user on
the same request, so reading `request.user` at the time of the write finds API callers too.
"""

from contextvars import ContextVar

_request = ContextVar("audit_request", default=None)


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def current_actor():
    """The signed-in person of the request in flight, or None (a job, a command, a test)."""
    request = _request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
