"""How integrations, their deliveries and maintenance windows look in the API."""

from django.urls import reverse
from rest_framework import serializers

from core.limits import BoundedDateTimeField
from indicators.models import KRI
from indicators.serializers import DurationField
from integrations.models import Delivery, Integration, MaintenanceWindow
from integrations.services import INTEGRATION_FIELDS
from people.selectors import people_active
from playbooks.models import Playbook
from risks.models import Risk, RiskStatus


class IntegrationSerializer(serializers.ModelSerializer):
    kri = serializers.PrimaryKeyRelatedField(queryset=KRI.objects.all(), allow_null=True, required=False)
    playbook = serializers.PrimaryKeyRelatedField(
        queryset=Playbook.objects.all(), allow_null=True, required=False
    )
    commander = serializers.PrimaryKeyRelatedField(queryset=people_active(), allow_null=True, required=False)
    risks = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Risk.objects.exclude(status=RiskStatus.ARCHIVED), required=False
    )
    ping_every = DurationField(required=False, allow_null=True)
    alerts_url = serializers.SerializerMethodField(help_text="Where the sender posts, with the token.")

    class Meta:
        model = Integration
        fields = [
            "id",
            *INTEGRATION_FIELDS,
            "risks",
            "token_hint",
            "alerts_url",
            "last_ping_at",
            "refused_count",
            "created_at",
        ]
        read_only_fields = ["token_hint", "last_ping_at", "refused_count", "created_at"]

    def get_alerts_url(self, integration) -> str:
        return reverse("api-integration-alerts", args=[integration.pk])


class IntegrationTokenSerializer(IntegrationSerializer):
    """As made or reset: the token, shown this once."""

    token = serializers.CharField(read_only=True)

    class Meta(IntegrationSerializer.Meta):
        fields = [*IntegrationSerializer.Meta.fields, "token"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "received_at",
            "outcome",
            "http_status",
            "reason",
            "alerts",
            "firing",
            "resolved",
            "value",
            "incident",
            "opened_incident",
        ]


class MaintenanceWindowSerializer(serializers.ModelSerializer):
    starts_at = BoundedDateTimeField()
    ends_at = BoundedDateTimeField()

    class Meta:
        model = MaintenanceWindow
        fields = ["id", "starts_at", "ends_at", "reason"]
