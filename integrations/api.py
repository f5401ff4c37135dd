"""/api/v1/integrations/: the integrations (risk officers and administrators), their deliveries
and maintenance windows; and the endpoint senders post to, whose only credential is the token."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations import receiving, selectors, services
from integrations.permissions import ManagesIntegrations
from integrations.serializers import (
    DeliverySerializer,
    IntegrationSerializer,
    IntegrationTokenSerializer,
    MaintenanceWindowSerializer,
)


def _with_token(integration, token: str) -> dict:
    integration.token = token
    return IntegrationTokenSerializer(integration).data


class IntegrationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IntegrationSerializer
    permission_classes = [ManagesIntegrations]

    def get_queryset(self):
        return selectors.integration_list()

    @extend_schema(responses={201: IntegrationTokenSerializer})
    def create(self, request, *args, **kwargs):
        """Makes an integration; the answer carries its token, this once."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        integration, token = services.integration_create(by=request.user, **serializer.validated_data)
        return Response(_with_token(integration, token), status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.integration_update(
            integration=serializer.instance, by=self.request.user, changes=serializer.validated_data
        )

    @extend_schema(request=None, responses={200: IntegrationTokenSerializer})
    @action(detail=True, methods=["post"], url_path="reset-token")
    def reset_token(self, request, pk=None):
        """A new token; the old one is refused from now on."""
        integration, token = services.integration_reset_token(integration=self.get_object(), by=request.user)
        return Response(_with_token(integration, token))

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """Newest first: accepted, duplicate, held by a maintenance window, rejected and why."""
        page = self.paginate_queryset(selectors.deliveries_of(integration=self.get_object()))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(
        request=MaintenanceWindowSerializer,
        responses={200: MaintenanceWindowSerializer(many=True), 201: MaintenanceWindowSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="maintenance-windows")
    def maintenance_windows(self, request, pk=None):
        """Windows not yet over (GET), or a new one (POST): alerts during them are recorded, not acted on."""
        integration, now = self.get_object(), timezone.now()
        if request.method == "GET":
            windows = selectors.maintenance_windows_current_and_coming(integration=integration, now=now)
            return Response(MaintenanceWindowSerializer(windows, many=True).data)
        serializer = MaintenanceWindowSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        window = services.maintenance_window_add(
            integration=integration, by=request.user, now=now, **serializer.validated_data
        )
        return Response(MaintenanceWindowSerializer(window).data, status=status.HTTP_201_CREATED)


def _token(request) -> str:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        return credentials.strip()
    return request.query_params.get("token", "")


class AlertsInView(APIView):
    """Where Alertmanager, Grafana, scripts and heartbeats post. The token (`?token=` or
    `Authorization: Bearer …`) is the only credential; `Idempotency-Key` names a delivery so that a
    retry is recognised (otherwise the same body within 10 minutes is)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: OpenApiTypes.OBJECT,
            202: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            401: OpenApiTypes.OBJECT,
            413: OpenApiTypes.OBJECT,
        },
        parameters=[
            OpenApiParameter("token", str, OpenApiParameter.QUERY, required=False),
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False),
        ],
        auth=[],
    )
    def post(self, request, pk: int):
        receipt = receiving.delivery_receive(
            integration_id=pk,
            token=_token(request),
            body=request.body,
            sender_id=request.headers.get("Idempotency-Key", "").strip(),
        )
        return Response(receipt.body, status=receipt.status)
