"""Refuses a request whose body is too large before anything reads it: 413 `{"detail"}`.

Uploads (multipart) may be up to MAX_REQUEST_BYTES; other bodies (JSON, forms) up to Django's
DATA_UPLOAD_MAX_MEMORY_SIZE, which Django itself would otherwise answer with an HTML 400 page.
"""

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def _limit(request) -> int:
    if request.content_type == "multipart/form-data":
        return settings.MAX_REQUEST_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > (limit := _limit(request)):
            detail = _("The request is too large (at most %(size)s).") % {"size": filesizeformat(limit)}
            return JsonResponse({"detail": detail}, status=413)
        return self.get_response(request)
