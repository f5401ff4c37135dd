"""/api/v1/analytics/: the response figures as JSON, or CSV with ?export=csv."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.figures import csv_rows, figures_compute
from analytics.selectors import DIMENSIONS
from core.filtering import NamedChoiceSerializerField
from core.limits import BoundedDateTimeField
from core.permissions import may_see_everything


class QuerySerializer(serializers.Serializer):
    by = NamedChoiceSerializerField(choices=DIMENSIONS, default="severity")
    since = BoundedDateTimeField(required=False)
    until = BoundedDateTimeField(required=False)
    export = NamedChoiceSerializerField(choices=["json", "csv"], default="json")


def checked_query(request) -> dict:
    if not may_see_everything(request.user):
        raise PermissionDenied("Analytics cover every incident: executives, risk officers and admins.")
    form = QuerySerializer(data=request.query_params)
    form.is_valid(raise_exception=True)
    return form.validated_data


class AnalyticsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, enum=list(DIMENSIONS)),
            OpenApiParameter("since", str, description="ISO 8601; incidents declared from then"),
            OpenApiParameter("until", str, description="ISO 8601; incidents declared before then"),
            OpenApiParameter("export", str, enum=["json", "csv"]),
        ],
        responses={200: dict},
    )
    def get(self, request):
        query = checked_query(request)
        figures = figures_compute(
            by=query["by"], now=timezone.now(), since=query.get("since"), until=query.get("until")
        )
        if query["export"] == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="riskops-analytics-by-{query["by"]}.csv"'
            csv.writer(response).writerows(csv_rows(figures))
            return response
        return Response({"by": query["by"], **figures})
