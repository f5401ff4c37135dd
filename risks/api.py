"""/api/v1/risks/, /api/v1/risk-matrix/ and friends: permission, validation, one service, serialisation."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Conflict
from core.filtering import boolean_parameter, choice_parameter
from core.limits import BoundedJSONParser
from core.permissions import RegisterWritersWriteOthersRead
from risks import acceptances, exporting, importing, selectors, services
from risks.filters import RegisterFilterForm
from risks.models import Acceptance, Category, ChangeSource, ImportJob, Risk, TreatmentAction
from risks.permissions import may_decide_acceptance, may_request_acceptance
from risks.serializers import (
    AcceptanceDecisionSerializer,
    AcceptanceSerializer,
    ActionSerializer,
    ActionStatusSerializer,
    CategoryAppetiteSerializer,
    CategorySerializer,
    HeatMapSerializer,
    ImportJobSerializer,
    ImportRequestSerializer,
    MatrixSerializer,
    RescoreSerializer,
    ReviewSerializer,
    RiskSerializer,
    ScoreChangeSerializer,
)
from risks.tasks import run_import

# Files up to this size are imported while the request waits; larger ones by a Celery job.
IMPORT_INLINE_LIMIT = 256 * 1024


def etag(risk: Risk) -> str:
    return f'"{risk.version}"'


def if_match_version(request) -> int | None:
    header = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if not header:
        return None
    if not header.isdigit():
        raise ValidationError({"detail": 'If-Match must be an ETag of this API, e.g. "3".'})
    return int(header)


class RiskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RiskSerializer
    permission_classes = [RegisterWritersWriteOthersRead]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]
    # Acceptances are asked for by the risk's owner too, and decided by executives: their
    # services say who may (risks.permissions), before the body is read.
    ACCEPTANCE_ACTIONS = {"acceptances", "acceptance_approve", "acceptance_decline"}

    def get_permissions(self):
        if self.action in self.ACCEPTANCE_ACTIONS:
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        if self.action not in {"list", "export"}:
            return Risk.objects.select_related("category", "owner", "matrix")
        for name in ("review_overdue", "above_appetite"):
            boolean_parameter(self.request.query_params, name)
        form = RegisterFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return selectors.risk_list(filters=form.register_filters())

    @extend_schema(
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR)
            for name in (
                "level",
                "residual_level",
                "category",
                "owner",
                "status",
                "acceptance",
                "search",
                "ordering",
            )
        ]
        + [OpenApiParameter("review_overdue", OpenApiTypes.BOOL)]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(selectors.RegisterRows(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        risk = self.get_object()
        return Response(self.get_serializer(risk).data, headers={"ETag": etag(risk)})

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        data.pop("status", None)
        risk = services.risk_create(by=request.user, **data)
        return Response(
            RiskSerializer(risk).data, status=status.HTTP_201_CREATED, headers={"ETag": etag(risk)}
        )

    def update(self, request, pk=None, partial=False):
        risk = self.get_object()
        serializer = self.get_serializer(risk, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        expected = if_match_version(request)
        body_version = changes.pop("version", None)
        try:
            risk = services.risk_update(
                risk=risk,
                by=request.user,
                changes=changes,
                reason=reason,
                change_source=ChangeSource.API,
                expected_version=expected if expected is not None else body_version,
            )
        except Conflict as conflict:
            if expected is None:
                raise
            body = {"detail": conflict.detail, "code": "precondition_failed"}
            return Response(body, status=status.HTTP_412_PRECONDITION_FAILED)
        return Response(RiskSerializer(risk).data, headers={"ETag": etag(risk)})

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        services.risk_archive(
            risk=self.get_object(), by=request.user, expected_version=if_match_version(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=ScoreChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        changes = selectors.risk_history(risk=self.get_object())
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(ScoreChangeSerializer(page, many=True).data)

    @extend_schema(request=ReviewSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.risk_review(
            risk=self.get_object(), by=request.user, **serializer.service_arguments()
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RescoreSerializer, responses=RiskSerializer)
    @action(detail=True, methods=["post"])
    def rescore(self, request, pk=None):
        """Moves the risk's ratings onto the active matrix version (an explicit, recorded act)."""
        serializer = RescoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        risk = services.risk_rescore(risk=self.get_object(), by=request.user, **serializer.validated_data)
        return Response(RiskSerializer(risk).data, headers={"ETag": etag(risk)})

    @extend_schema(request=ActionSerializer, responses=ActionSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def actions(self, request, pk=None):
        risk = self.get_object()
        if request.method == "GET":
            actions = risk.actions.all()
            return Response(ActionSerializer(actions, many=True).data)
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("status", None)
        created = services.action_create(risk=risk, by=request.user, **data)
        return Response(ActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=AcceptanceSerializer(many=True))
    @extend_schema(methods=["POST"], request=AcceptanceSerializer, responses={201: AcceptanceSerializer})
    @action(detail=True, methods=["get", "post"])
    def acceptances(self, request, pk=None):
        """The risk's acceptances, newest first; POST asks for one (justification, conditions, expiry)."""
        risk = self.get_object()
        if request.method == "GET":
            return Response(AcceptanceSerializer(risk.acceptances.all(), many=True).data)
        if not may_request_acceptance(request.user, risk):
            raise PermissionDenied
        serializer = AcceptanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acceptance = acceptances.acceptance_request(risk=risk, by=request.user, **serializer.validated_data)
        return Response(AcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)

    def _acceptance(self, acceptance_id) -> Acceptance:
        acceptance = get_object_or_404(Acceptance, pk=acceptance_id, risk=self.get_object())
        if not may_decide_acceptance(self.request.user, acceptance):
            raise PermissionDenied(str(acceptances.DECIDERS_ONLY))
        return acceptance

    @extend_schema(request=AcceptanceDecisionSerializer, responses=AcceptanceSerializer)
    @action(detail=True, methods=["post"], url_path=r"acceptances/(?P<acceptance_id>\d+)/approve")
    def acceptance_approve(self, request, pk=None, acceptance_id=None):
        """Approves the acceptance: a risk officer or an executive other than the asker."""
        acceptance = self._acceptance(acceptance_id)
        serializer = AcceptanceDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approved = acceptances.acceptance_approve(
            acceptance=acceptance, by=request.user, **serializer.validated_data
        )
        return Response(AcceptanceSerializer(approved).data)

    @extend_schema(request=AcceptanceDecisionSerializer, responses=AcceptanceSerializer)
    @action(detail=True, methods=["post"], url_path=r"acceptances/(?P<acceptance_id>\d+)/decline")
    def acceptance_decline(self, request, pk=None, acceptance_id=None):
        """Declines the acceptance, with the reason (`note`)."""
        acceptance = self._acceptance(acceptance_id)
        serializer = AcceptanceDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        declined = acceptances.acceptance_decline(
            acceptance=acceptance, by=request.user, note=serializer.validated_data.get("note", "")
        )
        return Response(AcceptanceSerializer(declined).data)

    @extend_schema(
        parameters=[OpenApiParameter("rating", OpenApiTypes.STR, enum=["inherent", "residual"])],
        responses=HeatMapSerializer,
    )
    @action(detail=False, methods=["get"])
    def heatmap(self, request):
        """Open risks per matrix cell: how many, and the first few by reference."""
        rating = choice_parameter(request.query_params, "rating", ("inherent", "residual")) or "inherent"
        heat = selectors.heatmap(matrix=selectors.matrix_active(), rating=rating)
        return Response(HeatMapSerializer(heat).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("type", OpenApiTypes.STR, enum=["csv", "xlsx"]),
            OpenApiParameter(
                "keys",
                OpenApiTypes.BOOL,
                description="Keys instead of names: column keys, category keys, usernames, playbook "
                "ids, UTC times (a round trip for scripts). Otherwise headings and values are in the "
                "reader's language and times in their time zone.",
            ),
        ],
        responses={200: OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The register (filtered as the list is) as CSV or XLSX; importing the file back changes nothing."""
        kind = choice_parameter(request.query_params, "type", ("csv", "xlsx")) or "csv"
        keys = bool(boolean_parameter(request.query_params, "keys"))
        return export_response(self.get_queryset().order_by("number"), kind, keys=keys)

    @extend_schema(request={"multipart/form-data": ImportRequestSerializer}, responses=ImportJobSerializer)
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request):
        """Small files are imported at once (200, or 400 listing each bad row); large ones by a job (202)."""
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        job = importing.import_job_create(
            content=upload.read(),
            filename=upload.name,
            by=request.user,
            dry_run=serializer.validated_data["dry_run"],
        )
        if upload.size > IMPORT_INLINE_LIMIT:
            transaction.on_commit(lambda: run_import.delay(job.pk))
            return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        importing.import_job_run(job_id=job.pk)
        job.refresh_from_db()
        if not job.errors:
            return Response(ImportJobSerializer(job).data)
        messages = [f"line {error['line']}, {error['field']}: {error['message']}" for error in job.errors]
        return Response(
            {"file": messages, **ImportJobSerializer(job).data}, status=status.HTTP_400_BAD_REQUEST
        )


def export_response(risks, kind: str, *, keys: bool) -> HttpResponse:
    if kind == "xlsx":
        response = HttpResponse(
            exporting.export_xlsx(risks, keys=keys),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        text = exporting.export_csv(risks, keys=keys)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="risk-register.{kind}"'
    return response


class ImportJobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An import's progress and report, polled by the page and by scripts."""

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobSerializer
    permission_classes = [RegisterWritersWriteOthersRead]


class ActionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = TreatmentAction.objects.all()
    serializer_class = ActionSerializer
    permission_classes = [RegisterWritersWriteOthersRead]

    @extend_schema(request=ActionStatusSerializer, responses=ActionSerializer)
    def partial_update(self, request, pk=None):
        serializer = ActionStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.action_set_status(
            action=self.get_object(), by=request.user, **serializer.validated_data
        )
        return Response(ActionSerializer(updated).data)


class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Category.objects.filter(active=True)
    serializer_class = CategorySerializer
    permission_classes = [RegisterWritersWriteOthersRead]
    pagination_class = None
    lookup_field = "key"

    @extend_schema(request=CategoryAppetiteSerializer, responses=CategorySerializer)
    def partial_update(self, request, key=None):
        """Sets the category's appetite (a level; empty: the matrix's) and optional highest score."""
        serializer = CategoryAppetiteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = self.get_object()
        values = {"appetite": category.appetite, "appetite_score": category.appetite_score}
        values.update(serializer.validated_data)
        category = services.category_set_appetite(category=category, by=request.user, **values)
        return Response(CategorySerializer(category).data)


class MatrixView(APIView):
    """The active risk matrix."""

    permission_classes = [RegisterWritersWriteOthersRead]

    @extend_schema(responses=MatrixSerializer)
    def get(self, request):
        matrix = selectors.matrix_active()
        if matrix is None:
            raise NotFound()
        return Response(MatrixSerializer(matrix).data)
