"""/api/v1/playbooks/: list, create, retrieve, update, publish, retire, export, import, preview."""

import datetime as dt
import json

import yaml
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from core.filtering import choice_parameter
from core.limits import BoundedJSONParser, check_instant
from core.pagination import BoundedLimitOffsetPagination
from core.permissions import RegisterWritersWriteOthersRead
from playbooks import selectors, services
from playbooks.exchange import playbook_export, spec_from_text
from playbooks.models import Playbook, PlaybookStatus
from playbooks.spec import playbook_spec
from playbooks.validation import playbook_validate

MAX_CLOCK_RATE = 3600


class PlaybookFileParser(BaseParser):
    """A YAML (or JSON) file sent as the request body with any other content type."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


class YamlRenderer(BaseRenderer):
    """Lets `?format=yaml` through content negotiation; renders error bodies of the export."""

    media_type = "application/yaml"
    format = "yaml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        plain = json.loads(JSONRenderer().render(data) or b"null")
        return yaml.safe_dump(plain, allow_unicode=True).encode()


datetime_field = serializers.DateTimeField()


def playbook_data(playbook: Playbook) -> dict:
    return {
        "id": playbook.pk,
        "version": playbook.version,
        "status": playbook.status,
        "lineage": str(playbook.lineage),
        "based_on": playbook.based_on_id,
        "published_at": playbook.published_at and datetime_field.to_representation(playbook.published_at),
        **playbook_spec(playbook),
    }


PLAYBOOK_SCHEMA = extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)


class PlaybookViewSet(viewsets.ViewSet):
    """Versioned, tiered response playbooks with RACI per step (see the contract for the shape)."""

    permission_classes = [RegisterWritersWriteOthersRead]

    def _get(self, pk) -> Playbook:
        try:
            return selectors.playbook_get(playbook_id=int(pk))
        except (Playbook.DoesNotExist, ValueError) as error:
            raise NotFound() from error

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=PlaybookStatus.values),
            OpenApiParameter("category", str),
            OpenApiParameter("search", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        status_filter = choice_parameter(request.query_params, "status", PlaybookStatus.values)
        playbooks = selectors.playbook_list(
            status=status_filter,
            category=request.query_params.get("category"),
            search=request.query_params.get("search"),
        )
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(playbooks, request, view=self)
        return paginator.get_paginated_response([playbook_data(playbook) for playbook in page])

    @PLAYBOOK_SCHEMA
    def create(self, request):
        playbook = services.playbook_create(spec=request.data, created_by=request.user)
        return Response(playbook_data(self._get(playbook.pk)), status=status.HTTP_201_CREATED)

    @PLAYBOOK_SCHEMA
    def retrieve(self, request, pk=None):
        return Response(playbook_data(self._get(pk)))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        description="A draft is edited in place (200); editing a published or retired version creates "
        "a new draft version in the same lineage (201).",
    )
    def update(self, request, pk=None):
        return self._update(request, pk, partial=False)

    @PLAYBOOK_SCHEMA
    def partial_update(self, request, pk=None):
        return self._update(request, pk, partial=True)

    def _update(self, request, pk, *, partial: bool):
        playbook = self._get(pk)
        edited = services.playbook_update(
            playbook=playbook, spec=request.data, by=request.user, partial=partial
        )
        code = status.HTTP_200_OK if edited.pk == playbook.pk else status.HTTP_201_CREATED
        return Response(playbook_data(self._get(edited.pk)), status=code)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        playbook = services.playbook_publish(playbook=self._get(pk), by=request.user)
        return Response(playbook_data(self._get(playbook.pk)))

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        playbook = services.playbook_retire(playbook=self._get(pk), by=request.user)
        return Response(playbook_data(self._get(playbook.pk)))

    @extend_schema(
        parameters=[OpenApiParameter("format", enum=["yaml", "json"])], responses={200: OpenApiTypes.STR}
    )
    @action(detail=True, methods=["get"], renderer_classes=[YamlRenderer, JSONRenderer])
    def export(self, request, pk=None):
        playbook = self._get(pk)
        file_format = request.accepted_renderer.format
        response = HttpResponse(
            playbook_export(playbook, file_format=file_format),
            content_type=f"{request.accepted_renderer.media_type}; charset=utf-8",
        )
        name = f"playbook-{playbook.pk}-v{playbook.version}.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "application/yaml": OpenApiTypes.STR},
        responses={201: OpenApiTypes.OBJECT},
        description="A YAML or JSON body, or an uploaded `file`. Always creates a new draft.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[BoundedJSONParser, MultiPartParser, PlaybookFileParser],
    )
    def import_file(self, request):
        if "file" in request.FILES:
            spec = spec_from_text(request.FILES["file"].read())
        elif isinstance(request.data, bytes | str):
            spec = spec_from_text(request.data)
        else:
            spec = request.data
        playbook = services.playbook_create(spec=spec, created_by=request.user)
        return Response(playbook_data(self._get(playbook.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT},
        description='Checks a playbook spec without saving it: 200 {"valid": true} or 400 with field errors.',
    )
    @action(detail=False, methods=["post"])
    def validate(self, request):
        playbook_validate(request.data)
        return Response({"valid": True})

    @extend_schema(
        parameters=[
            OpenApiParameter("declared_at", OpenApiTypes.DATETIME, description="Default: now."),
            OpenApiParameter("clock_rate", int, description="1 to 3600; 60 = one hour of plan per minute."),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        declared_at, clock_rate = preview_parameters(request.query_params)
        preview = selectors.playbook_preview(
            playbook=self._get(pk), declared_at=declared_at, clock_rate=clock_rate
        )
        when = datetime_field.to_representation
        return Response(
            {
                "playbook": int(pk),
                "declared_at": when(preview.declared_at),
                "clock_rate": preview.clock_rate,
                "tiers": [
                    {
                        "key": tier.key,
                        "name": tier.name,
                        "starts_at": when(starts),
                        "ends_at": ends and when(ends),
                    }
                    for tier, starts, ends in preview.tiers
                ],
                "steps": [
                    {
                        "tier": row.step.tier.key,
                        "order": row.step.order,
                        "title": row.step.title,
                        "opens_at": when(row.opens_at),
                        "due_at": when(row.due_at),
                        "escalations": [when(at) for at in row.escalations],
                    }
                    for row in preview.steps
                ],
            }
        )


def preview_parameters(params) -> tuple[dt.datetime, int]:
    """declared_at (default now; a time without offset is in the current time zone) and clock_rate."""
    errors = {}
    declared_at = timezone.now()
    if params.get("declared_at"):
        try:
            declared_at = parse_datetime(params["declared_at"])
        except ValueError:
            declared_at = None
        if declared_at is None:
            errors["declared_at"] = ["Give a date and time such as 2026-05-04T08:00:00+08:00."]
        else:
            if timezone.is_naive(declared_at):
                declared_at = timezone.make_aware(declared_at)
            try:
                check_instant(declared_at)
            except DjangoValidationError as error:
                errors["declared_at"] = error.messages
    clock_rate = params.get("clock_rate", "1")
    if not clock_rate.isdigit() or not 1 <= int(clock_rate) <= MAX_CLOCK_RATE:
        errors["clock_rate"] = [f"Give a whole number from 1 to {MAX_CLOCK_RATE}."]
    if errors:
        raise ValidationError(errors)
    return declared_at, int(clock_rate)
