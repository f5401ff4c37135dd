"""/api/v1/subscriptions/: the incidents, severities or everything the requester follows."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from incidents.services import incident_follow
from notifications import selectors, services
from notifications.models import SubscriptionScope


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    follows = serializers.ChoiceField(
        source="scope",
        choices=SubscriptionScope.choices,
        help_text="incident: one incident (give `incident`); severity: every incident of a severity "
        "(give `severity`, 1 is the worst); everything: every incident.",
    )
    incident = serializers.IntegerField(
        source="incident_id", required=False, allow_null=True, min_value=1, max_value=2**63 - 1
    )
    severity = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)
    email = serializers.BooleanField(default=True, help_text="Also by e-mail (in-app always).")
    chat = serializers.BooleanField(default=False, help_text="Also on your own chat webhooks.")
    drills = serializers.BooleanField(default=False, help_text="Drills' updates too (marked DRILL).")

    def validate(self, attrs):
        targets = {SubscriptionScope.INCIDENT: "incident_id", SubscriptionScope.SEVERITY: "severity"}
        needed = targets.get(attrs["scope"])
        for field, name in (("incident_id", "incident"), ("severity", "severity")):
            if field == needed and attrs.get(field) is None:
                raise serializers.ValidationError({name: ["Required when following this."]})
            if field != needed and attrs.get(field) is not None:
                raise serializers.ValidationError({name: ["Only when following this."]})
        return attrs


class SubscriptionViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Your own subscriptions. Following what you already follow changes its channels; an incident
    you may not see cannot be followed; someone else's subscription is a 404."""

    serializer_class = SubscriptionSerializer
    lookup_value_regex = r"[0-9]+"
    pagination_class = None

    def get_queryset(self):
        return selectors.subscriptions_of(user=self.request.user)

    @extend_schema(responses={201: SubscriptionSerializer})
    def create(self, request, *args, **kwargs):
        form = SubscriptionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        data.pop("scope")
        channels = {key: data[key] for key in ("email", "chat", "drills")}
        if data.get("incident_id") is not None:
            subscription = incident_follow(incident_id=data["incident_id"], user=request.user, **channels)
        else:
            subscription = services.subscription_follow(
                user=request.user, by=request.user, severity=data.get("severity"), **channels
            )
        return Response(SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.subscription_stop(user=request.user, by=request.user, subscription_id=int(kwargs["pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)
