"""What a person sees when a page cannot be shown: the site's chrome, in their language, a way back.

A path under /api/ answers in the API's error shape instead; a database outage is a 503 to
retry, not a bug.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

DATABASE_RETRY_SECONDS = 5

PROBLEMS = {
    400: (
        gettext_lazy("This request could not be understood"),
        gettext_lazy("Something in the address or the form was malformed. Go back and try again."),
    ),
    403: (
        gettext_lazy("You may not open this page"),
        gettext_lazy("Your role does not allow it. If your work needs it, ask an administrator."),
    ),
    404: (
        gettext_lazy("This page does not exist"),
        gettext_lazy("The address may be mistyped, or what it named has been removed."),
    ),
    500: (
        gettext_lazy("Something went wrong on our side"),
        gettext_lazy("The error has been logged for the administrators. Try again in a moment."),
    ),
}

# What an API client reads instead (the words Django REST framework uses for the same statuses).
API_DETAIL = {
    400: gettext_lazy("Malformed request."),
    403: gettext_lazy("You do not have permission to perform this action."),
    404: gettext_lazy("Not found."),
    500: gettext_lazy("A server error occurred."),
}

FORM_EXPIRED = (
    gettext_lazy("This form has expired"),
    gettext_lazy(
        "For your safety a form is only accepted from a page you opened recently. "
        "Reload the page and send it again."
    ),
)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _way_back(request) -> str:
    """The page the reader came from, when it is on this site; else nothing."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _page(request, status: int, heading, explanation) -> HttpResponse:
    context = {"status": status, "heading": heading, "explanation": explanation}
    context["way_back"] = _way_back(request)
    return HttpResponse(render_to_string("problem.html", context, request=request), status=status)


def _answer(request, status: int) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(API_DETAIL[status])}, status=status)
    return _page(request, status, *PROBLEMS[status])


def bad_request(request, exception):
    return _answer(request, 400)


def permission_denied(request, exception):
    return _answer(request, 403)


def not_found(request, exception):
    return _answer(request, 404)


def form_expired(request, reason=""):
    """Django's CSRF failure view: a stale or missing token, said as a person would understand it."""
    return _page(request, 403, *FORM_EXPIRED)


def server_error(request):
    """500; but 503 with Retry-After when the database could not be reached (an outage, not a bug)."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        detail = _("The database cannot be reached. Try again in a few seconds.")
        if _is_api(request):
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    try:
        return _answer(request, 500)
    except Exception:  # the page itself failed (its chrome reads the database): say it plainly
        logger.exception("the error page could not be drawn")
        heading, explanation = PROBLEMS[500]
        return HttpResponse(f"{heading}. {explanation}", status=500, content_type="text/plain; charset=utf-8")
