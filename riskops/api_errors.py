"""Error bodies exactly as the contract says: 400 field errors, 409 illegal state changes."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class InvalidTransition(Exception):
    """A state change that the transition table does not allow. Nothing was written."""

    code = "invalid_transition"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class Conflict(Exception):
    """A write based on a stale version of the object. Nothing was written."""

    code = "conflict"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def exception_handler(exc, context):
    if isinstance(exc, (InvalidTransition, Conflict)):
        return Response({"detail": exc.detail, "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ProtectedError):
        detail = _("It is still in use (by a playbook, an incident or the register) and is kept.")
        return Response({"detail": detail, "code": "protected"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)
