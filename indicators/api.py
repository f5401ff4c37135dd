"""/api/v1/kris/: KRIs, their readings (one, a list, or a CSV file) and their breaches."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from core.limits import BoundedJSONParser
from core.permissions import signed_in
from indicators import importing, selectors, services
from indicators.permissions import may_record_readings, may_set_up_kris
from indicators.serializers import (
    BreachSerializer,
    KRISerializer,
    ReadingInputSerializer,
    ReadingOfAnyKRISerializer,
    ReadingResultSerializer,
    ReadingSerializer,
    ReadingsImportSerializer,
)


class KRIPermission(BasePermission):
    """Everyone signed in reads; risk officers and admins write KRIs; readings may also be posted
    by the KRI's owner (checked per KRI in `_check_may_record`)."""

    def has_permission(self, request, view):
        if not signed_in(request):
            return False
        return (
            request.method in SAFE_METHODS
            or view.action in view.READING_ACTIONS
            or may_set_up_kris(request.user)
        )


def _check_may_record(user, kris) -> None:
    if not all(may_record_readings(user, kri) for kri in kris):
        raise PermissionDenied(_("Only risk officers, administrators and the KRI's owner post its readings."))


class KRIViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = KRISerializer
    permission_classes = [KRIPermission]
    READING_ACTIONS = {"readings", "bulk_readings", "import_readings"}

    def get_queryset(self):
        return selectors.kri_list()

    def perform_create(self, serializer):
        serializer.instance = services.kri_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.kri_update(
            kri=serializer.instance, by=self.request.user, changes=serializer.validated_data
        )

    def _record(self, request, entries: list[dict], *, many: bool) -> Response:
        _check_may_record(request.user, {entry["kri"] for entry in entries})
        now = timezone.now()
        inputs = [
            services.ReadingInput(
                kri=entry["kri"], value=entry["value"], measured_at=entry.get("measured_at", now)
            )
            for entry in entries
        ]
        try:
            results = services.readings_record(entries=inputs, by=request.user, now=now)
        except services.ReadingsRejected as rejected:
            raise ValidationError(rejected.errors if many else rejected.errors[0]) from None
        data = ReadingResultSerializer(results, many=True).data
        return Response(data if many else data[0], status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReadingInputSerializer(many=True),
        responses={200: ReadingSerializer(many=True), 201: ReadingResultSerializer(many=True)},
        description="POST one reading `{value, measured_at}` or a list (all or none); GET lists readings.",
    )
    @action(detail=True, methods=["get", "post"])
    def readings(self, request, pk=None):
        kri = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.kri_readings(kri=kri))
            return self.get_paginated_response(ReadingSerializer(page, many=True).data)
        many = isinstance(request.data, list)
        serializer = ReadingInputSerializer(data=request.data, many=many)
        serializer.is_valid(raise_exception=True)
        entries = serializer.validated_data if many else [serializer.validated_data]
        return self._record(request, [{**entry, "kri": kri} for entry in entries], many=many)

    @extend_schema(
        request=ReadingOfAnyKRISerializer(many=True), responses={201: ReadingResultSerializer(many=True)}
    )
    @action(detail=False, methods=["post"], url_path="readings")
    def bulk_readings(self, request):
        """Readings of any KRIs, each naming its `kri`: a list (all or none) or one."""
        many = isinstance(request.data, list)
        serializer = ReadingOfAnyKRISerializer(data=request.data, many=many)
        serializer.is_valid(raise_exception=True)
        return self._record(
            request, serializer.validated_data if many else [serializer.validated_data], many=many
        )

    @extend_schema(
        request={"multipart/form-data": ReadingsImportSerializer},
        responses={201: ReadingResultSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="readings/import",
        parser_classes=[MultiPartParser, FormParser, BoundedJSONParser],
    )
    def import_readings(self, request):
        """A CSV file with the columns kri, value, measured_at: all rows or none."""
        upload = ReadingsImportSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        rows = importing.readings_from_csv(upload.validated_data["file"].read())
        serializer = ReadingOfAnyKRISerializer(data=rows, many=True)
        serializer.is_valid(raise_exception=True)
        return self._record(request, serializer.validated_data, many=True)

    @extend_schema(responses=BreachSerializer(many=True))
    @action(detail=True, methods=["get"])
    def breaches(self, request, pk=None):
        page = self.paginate_queryset(selectors.kri_breaches(kri=self.get_object()))
        return self.get_paginated_response(BreachSerializer(page, many=True).data)
