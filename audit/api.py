"""/api/v1/audit-log/: the audit log, for administrators only."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets

from audit.models import AuditEntry
from core.limits import BIGINT_MAX
from core.permissions import IsAdmin


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "object_type",
            "object_id",
            "object_repr",
            "action",
            "before",
            "after",
        ]


class AuditQuerySerializer(serializers.Serializer):
    object_type = serializers.CharField(required=False, max_length=200)
    object_id = serializers.CharField(required=False, max_length=200)
    actor = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)


@extend_schema(
    parameters=[
        OpenApiParameter("object_type", str, description="e.g. risks.risk, playbooks.playbook, people.user"),
        OpenApiParameter("object_id", str),
        OpenApiParameter("actor", int),
    ]
)
class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Who changed what in the register, playbooks, users and teams; newest first."""

    serializer_class = AuditEntrySerializer
    permission_classes = [IsAdmin]

    def get_queryset(self):
        query = AuditQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return AuditEntry.objects.filter(**query.validated_data)
