"""The API's pages: `?limit=` (default 50, at most MAX_LIMIT: a larger one is cut down to it) and
`?offset=`; either one that is not a whole number from 0 up to the database's range is a 400
naming it, rather than being ignored or reaching the database."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from core.limits import BIGINT_MAX

MAX_LIMIT = 200


def whole_number_parameter(
    query_params, name: str, *, minimum: int = 0, maximum: int = BIGINT_MAX
) -> int | None:
    """A query parameter that must be a whole number within [minimum, maximum]; None when absent."""
    raw = query_params.get(name)
    if raw in (None, ""):
        return None
    text = raw.strip()
    if (
        not text.isascii()
        or not text.lstrip("-").isdigit()
        or len(text) > 20
        or not minimum <= int(text) <= maximum
    ):
        raise ValidationError(
            {name: [_("Give a whole number from %(min)d to %(max)d.") % {"min": minimum, "max": maximum}]}
        )
    return int(text)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        limit = whole_number_parameter(request.query_params, self.limit_query_param, minimum=1)
        if limit is None:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request):
        return whole_number_parameter(request.query_params, self.offset_query_param) or 0

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Items per page: {self.default_limit} unless given, at most {self.max_limit}."
                )
            parameter["schema"] = {**parameter["schema"], "minimum": 0, "maximum": BIGINT_MAX}
        return parameters
