"""Error bodies exactly as the contract says: 400 field errors, 409 illegal state changes."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, InvalidTransition


def exception_handler(exc, context):
    response = _error_response(exc, context)
    if response is not None:
        _answer_in_json(context["request"])
    return response


def _error_response(exc, context):
    if isinstance(exc, (InvalidTransition, Conflict)):
        return Response({"detail": exc.detail, "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, (ProtectedError, RestrictedError)):
        # Deleting something that plans, tasks or records still name: refused, nothing deleted.
        detail = _("It is still in use and cannot be deleted.")
        return Response({"detail": detail, "code": "protected"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig):
        detail = _("The request is too large.")
        return Response({"detail": detail}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        if not hasattr(exc, "error_dict"):
            return Response({"detail": _joined(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        exc = ValidationError(exc.message_dict)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    # A validation error that names no field: the contract's {"detail": "..."}, one string.
    if isinstance(response.data, list):
        response.data = {"detail": _joined(response.data)}
    elif isinstance(response.data.get("detail"), list):
        response.data["detail"] = _joined(response.data["detail"])
    return response


def _joined(messages) -> str:
    return " ".join(str(message) for message in messages)


def _answer_in_json(request) -> None:
    """Errors are JSON even where the success is a file (YAML, CSV, XLSX exports)."""
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or renderer.format not in {"json", "api"}:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
