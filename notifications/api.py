"""/api/v1/notifications/ (the requester's own inbox) and /api/v1/notification-preferences/."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notifications import rules, selectors, services
from notifications.models import DrillChoice


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField()
    incident = serializers.IntegerField(source="incident_id", allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class InboxFilter(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your own notifications, newest first. Nobody ever sees another person's: that is a 404."""

    serializer_class = NotificationSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        query = InboxFilter(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.notifications_for(user=self.request.user, unread=query.validated_data["unread"])

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Only the unread ones.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(user=request.user, notification_id=int(pk))
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})

    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.unread_count(user=request.user)})


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    email = serializers.BooleanField(required=False)
    webhook = serializers.BooleanField(required=False)


class DrillPreferenceSerializer(serializers.Serializer):
    drills = serializers.ChoiceField(
        choices=DrillChoice.choices,
        help_text="in_app: in-app and chat, for drills you take part in (the default); all: every "
        "channel, e-mail included, whenever a drill tells you; none: never.",
    )
    label = serializers.CharField(read_only=True)


def drill_preference_data(user) -> dict:
    choice = selectors.drill_choice_for(user=user)
    return {"drills": choice, "label": str(DrillChoice(choice).label)}


class RuleSerializer(serializers.Serializer):
    repeat_minutes = serializers.IntegerField(
        allow_null=True,
        help_text="Told again every this many minutes (1 to 1440; plan minutes in a drill) until someone "
        "acknowledges the task; null: told once.",
    )
    email = serializers.BooleanField(required=False, help_text="Repeats also by e-mail.")
    chat = serializers.BooleanField(required=False, help_text="Repeats also on your own chat webhooks.")


def rule_data(user) -> dict:
    rule = rules.rule_for(user=user)
    return {"repeat_minutes": rule.repeat_minutes, "email": rule.email, "chat": rule.chat}


class PreferenceViewSet(viewsets.ViewSet):
    """For each kind of notification, whether you also want it by e-mail and on your own webhooks.

    The in-app inbox always receives everything. `PATCH /api/v1/notification-preferences/{kind}/`
    with `{"email": false}` changes one choice; an unknown kind is a 404.
    """

    lookup_field = "kind"
    lookup_value_regex = r"[a-z0-9_.\-]+"
    serializer_class = PreferenceSerializer

    def list(self, request):
        return Response(PreferenceSerializer(selectors.preferences_for(user=request.user), many=True).data)

    def retrieve(self, request, kind=None):
        return Response(PreferenceSerializer(selectors.preference_for(user=request.user, kind=kind)).data)

    @extend_schema(methods=["GET"], responses=DrillPreferenceSerializer)
    @extend_schema(methods=["PATCH"], request=DrillPreferenceSerializer, responses=DrillPreferenceSerializer)
    @action(detail=False, methods=["get", "patch"], url_path="drills")
    def drills(self, request):
        """How you hear about drills (`PATCH {"drills": "all"}`); real incidents follow the kinds above."""
        if request.method == "PATCH":
            form = DrillPreferenceSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            services.drill_preference_set(
                user=request.user, by=request.user, choice=form.validated_data["drills"]
            )
        return Response(drill_preference_data(request.user))

    @extend_schema(methods=["GET"], responses=RuleSerializer)
    @extend_schema(methods=["PATCH"], request=RuleSerializer, responses=RuleSerializer)
    @action(detail=False, methods=["get", "patch"], url_path="rule")
    def rule(self, request):
        """Notices about a task you may acknowledge, told again until someone does
        (`PATCH {"repeat_minutes": 10, "email": false}`); `null` tells you once."""
        if request.method == "PATCH":
            form = RuleSerializer(data=request.data, partial=True)
            form.is_valid(raise_exception=True)
            current = rule_data(request.user)
            rules.rule_set(user=request.user, by=request.user, **{**current, **form.validated_data})
        return Response(rule_data(request.user))

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def partial_update(self, request, kind=None):
        selectors.preference_for(user=request.user, kind=kind)
        serializer = PreferenceSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.preference_set(user=request.user, by=request.user, kind=kind, **serializer.validated_data)
        return Response(PreferenceSerializer(selectors.preference_for(user=request.user, kind=kind)).data)
