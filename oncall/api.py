"""/api/v1/schedules/ and their layers, overrides and swaps, /api/v1/calendar-days/,
/api/v1/teams/{id}/on-call/ and the calendar feeds' secret addresses."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from oncall import permissions, selectors, services
from oncall.models import CalendarDay, Layer, Override, Schedule, Swap, SwapStatus
from people.models import Team
from people.selectors import people_active

LONGEST_SPAN = dt.timedelta(days=62)


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Only the team's escalation contact and administrators run its schedules."))


def _moment(request, name: str, default: dt.datetime) -> dt.datetime:
    value = request.query_params.get(name)
    if not value:
        return default
    try:
        return serializers.DateTimeField().to_internal_value(value)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({name: error.detail}) from error


class ScheduleSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    layers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Schedule
        fields = ["id", "team", "name", "time_zone", "working_calendar", "layers"]


class ShiftSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    person = serializers.IntegerField(source="person.pk", allow_null=True, default=None)
    gap = serializers.BooleanField(source="is_gap")
    layer = serializers.IntegerField(source="layer.id", allow_null=True, default=None)
    override = serializers.IntegerField(source="override.id", allow_null=True, default=None)
    swap = serializers.IntegerField(source="swap.id", allow_null=True, default=None)


class FeedSerializer(serializers.Serializer):
    url = serializers.CharField()


def _feed_answer(request, token: str) -> Response:
    return Response({"url": request.build_absolute_uri(reverse("oncall-feed", args=[token]))})


class ScheduleViewSet(viewsets.ModelViewSet):
    """Everyone signed in reads the schedules; the team's escalation contact and administrators run them."""

    serializer_class = ScheduleSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.schedule_list().prefetch_related("layers")

    def perform_create(self, serializer):
        _allow(permissions.may_manage_schedules(self.request.user, serializer.validated_data["team"]))
        serializer.instance = services.schedule_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        _allow(permissions.may_manage_schedules(self.request.user, serializer.instance.team))
        if "team" in serializer.validated_data:
            _allow(permissions.may_manage_schedules(self.request.user, serializer.validated_data["team"]))
        serializer.instance = services.schedule_update(
            schedule_id=serializer.instance.pk, by=self.request.user, changes=serializer.validated_data
        )

    def perform_destroy(self, instance):
        _allow(permissions.may_manage_schedules(self.request.user, instance.team))
        services.schedule_delete(schedule_id=instance.pk, by=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="default: now"),
            OpenApiParameter("until", OpenApiTypes.DATETIME, description="default: 14 days on"),
        ],
        responses=ShiftSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def shifts(self, request, pk=None):
        """Who is on call from `since` to `until`, shift by shift; a gap has no person."""
        schedule = self.get_object()
        since = _moment(request, "since", timezone.now())
        until = min(_moment(request, "until", since + dt.timedelta(days=14)), since + LONGEST_SPAN)
        if until <= since:
            raise serializers.ValidationError({"until": [_("The end comes after the start.")]})
        shifts = selectors.schedule_shifts(schedule_id=schedule.pk, since=since, until=until)
        return Response(ShiftSerializer(shifts, many=True).data)

    @extend_schema(request=None, responses=FeedSerializer)
    @action(detail=True, methods=["post"])
    def feed(self, request, pk=None):
        """A new secret address of the schedule's calendar feed (ICS); the previous one stops working."""
        schedule = self.get_object()
        _allow(permissions.may_manage_schedules(request.user, schedule.team))
        return _feed_answer(request, services.feed_reset(by=request.user, schedule=schedule))


class LayerSerializer(serializers.ModelSerializer):
    schedule = serializers.PrimaryKeyRelatedField(queryset=Schedule.objects.select_related("team"))
    people = serializers.PrimaryKeyRelatedField(many=True, queryset=people_active())
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), required=False)

    class Meta:
        model = Layer
        fields = ["id", "schedule", "people", *services.LAYER_FIELDS]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["people"] = [member.person_id for member in instance.members.all()]
        return data


class LayerViewSet(viewsets.ModelViewSet):
    """A schedule's rotations, run by whoever runs the schedule."""

    serializer_class = LayerSerializer
    permission_classes = [IsAuthenticated]
    queryset = Layer.objects.select_related("schedule__team").prefetch_related("members")

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        schedule = fields.pop("schedule")
        _allow(permissions.may_manage_schedules(self.request.user, schedule.team))
        serializer.instance = services.layer_create(by=self.request.user, schedule_id=schedule.pk, **fields)

    def perform_update(self, serializer):
        _allow(permissions.may_manage_schedules(self.request.user, serializer.instance.schedule.team))
        changes = {k: v for k, v in serializer.validated_data.items() if k != "schedule"}
        serializer.instance = services.layer_update(
            layer_id=serializer.instance.pk, by=self.request.user, changes=changes
        )

    def perform_destroy(self, instance):
        _allow(permissions.may_manage_schedules(self.request.user, instance.schedule.team))
        services.layer_delete(layer_id=instance.pk, by=self.request.user)


class OverrideSerializer(serializers.ModelSerializer):
    schedule = serializers.PrimaryKeyRelatedField(queryset=Schedule.objects.select_related("team"))
    person = serializers.PrimaryKeyRelatedField(queryset=people_active())

    class Meta:
        model = Override
        fields = ["id", "schedule", "person", "starts_at", "ends_at", "reason"]


class OverrideViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Someone covers a span of a schedule, over every layer."""

    serializer_class = OverrideSerializer
    permission_classes = [IsAuthenticated]
    queryset = Override.objects.select_related("schedule__team")

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        schedule = fields.pop("schedule")
        _allow(permissions.may_manage_schedules(self.request.user, schedule.team))
        serializer.instance = services.override_create(
            by=self.request.user, schedule_id=schedule.pk, **fields
        )

    def perform_destroy(self, instance):
        _allow(permissions.may_manage_schedules(self.request.user, instance.schedule.team))
        services.override_delete(override_id=instance.pk, by=self.request.user)


class SwapSerializer(serializers.ModelSerializer):
    layer = serializers.PrimaryKeyRelatedField(queryset=Layer.objects.select_related("schedule__team"))
    requester = serializers.PrimaryKeyRelatedField(queryset=people_active(), required=False)
    partner = serializers.PrimaryKeyRelatedField(queryset=people_active())
    requester_shift_at = serializers.DateTimeField(write_only=True)
    partner_shift_at = serializers.DateTimeField(write_only=True)

    class Meta:
        model = Swap
        fields = [
            "id",
            "layer",
            "requester",
            "partner",
            "requester_shift_at",
            "partner_shift_at",
            "requester_shift_start",
            "requester_shift_end",
            "partner_shift_start",
            "partner_shift_end",
            "status",
        ]
        read_only_fields = [
            "requester_shift_start",
            "requester_shift_end",
            "partner_shift_start",
            "partner_shift_end",
            "status",
        ]


class SwapViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Two people of a layer trade shifts: one proposes (`requester` defaults to the caller), the
    other accepts or declines; the proposer or the schedule's runners may cancel."""

    serializer_class = SwapSerializer
    permission_classes = [IsAuthenticated]
    queryset = Swap.objects.select_related("layer__schedule__team")

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        requester = fields.pop("requester", self.request.user)
        layer = fields.pop("layer")
        if not permissions.may_propose_swap(self.request.user, schedule=layer.schedule, requester=requester):
            raise PermissionDenied(_("A swap is proposed by one of its two people."))
        serializer.instance = services.swap_propose(
            by=self.request.user, layer_id=layer.pk, requester=requester, **fields
        )

    def _decide(self, request, allowed, new_status):
        swap = self.get_object()
        if not allowed(request.user, swap):
            raise PermissionDenied(_("Only the other person of the swap answers it."))
        swap = services.swap_decide(swap_id=swap.pk, by=request.user, status=new_status, now=timezone.now())
        return Response(SwapSerializer(swap).data)

    @extend_schema(request=None, responses=SwapSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, permissions.may_answer_swap, SwapStatus.ACCEPTED)

    @extend_schema(request=None, responses=SwapSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, permissions.may_answer_swap, SwapStatus.DECLINED)

    @extend_schema(request=None, responses=SwapSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._decide(request, permissions.may_cancel_swap, SwapStatus.CANCELLED)


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "name"]


class CalendarDayViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The organisation's own holidays and working days over the official calendar (administrators)."""

    serializer_class = CalendarDaySerializer
    permission_classes = [IsAuthenticated]
    queryset = CalendarDay.objects.all()

    def perform_create(self, serializer):
        _allow(permissions.may_manage_calendar_days(self.request.user))
        serializer.instance = services.calendar_day_set(by=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        _allow(permissions.may_manage_calendar_days(self.request.user))
        services.calendar_day_delete(day_id=instance.pk, by=self.request.user)


class OnCallSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    team = serializers.IntegerField()
    person = serializers.IntegerField(allow_null=True)
    schedule = serializers.IntegerField(allow_null=True)
    layer = serializers.IntegerField(allow_null=True)
    override = serializers.IntegerField(allow_null=True)
    swap = serializers.IntegerField(allow_null=True)


class OnCallView(APIView):
    """Who is on call for the team at `at` (default: now); `person` null is a gap."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("at", OpenApiTypes.DATETIME, description="default: now")],
        responses=OnCallSerializer,
    )
    def get(self, request, pk: int):
        team = get_object_or_404(Team, pk=pk)
        at = _moment(request, "at", timezone.now())
        found = selectors.on_call(team_id=team.pk, at=at)
        return Response(
            OnCallSerializer(
                {
                    "at": at,
                    "team": team.pk,
                    "person": getattr(found.person, "pk", None),
                    "schedule": getattr(found.schedule, "id", None),
                    "layer": getattr(found.layer, "id", None),
                    "override": getattr(found.override, "id", None),
                    "swap": getattr(found.swap, "id", None),
                }
            ).data
        )


class MyFeedView(APIView):
    """A new secret address of the caller's own on-call calendar feed; the previous one stops working."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: FeedSerializer})
    def post(self, request):
        response = _feed_answer(request, services.feed_reset(by=request.user, person=request.user))
        response.status_code = status.HTTP_201_CREATED
        return response
