"""/api/v1/users/ and /api/v1/teams/."""

from django.contrib.auth.password_validation import validate_password
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.permissions import AdminWritesOthersRead, IsAdmin
from people import services
from people.models import Role, Team, User, validate_timezone
from people.selectors import people_active


class UserSerializer(serializers.ModelSerializer):
    teams = serializers.PrimaryKeyRelatedField(many=True, queryset=Team.objects.all(), required=False)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    role = serializers.ChoiceField(choices=Role.choices)
    timezone = serializers.CharField(required=False, validators=[validate_timezone])

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "password",
            "email",
            "first_name",
            "last_name",
            "role",
            "teams",
            "timezone",
            "language",
        ]

    def validate(self, attrs):
        candidate = User(**{k: v for k, v in attrs.items() if k not in {"teams", "password"}})
        try:
            validate_password(attrs["password"], candidate)
        except Exception as error:  # Django's ValidationError, as a field error
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs

    def create(self, validated_data):
        return services.user_create(by=self.context["request"].user, **validated_data)


class MeSerializer(serializers.ModelSerializer):
    teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    timezone = serializers.CharField(required=False, validators=[validate_timezone])

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "password",
            "email",
            "first_name",
            "last_name",
            "role",
            "teams",
            "timezone",
            "language",
        ]
        read_only_fields = ["username", "email", "first_name", "last_name", "role"]

    def validate_password(self, value):
        try:
            validate_password(value, self.instance)
        except Exception as error:
            raise serializers.ValidationError(list(error.messages)) from error
        return value

    def update(self, instance, validated_data):
        if "password" in validated_data:
            services.user_change_password(
                user=instance, by=self.context["request"].user, password=validated_data["password"]
            )
        return services.user_update_preferences(
            user=instance,
            by=self.context["request"].user,
            timezone=validated_data.get("timezone"),
            language=validated_data.get("language"),
        )


class UserViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """People. Admins create them; everyone signed in may list them (to pick owners and RACI)."""

    queryset = people_active().prefetch_related("teams").order_by("username")
    serializer_class = UserSerializer

    def get_permissions(self):
        if self.action == "me":
            return [IsAuthenticated()]
        return [AdminWritesOthersRead()]

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    @action(detail=False, methods=["get", "patch"], serializer_class=MeSerializer)
    def me(self, request):
        if request.method == "GET":
            return Response(MeSerializer(request.user).data)
        serializer = MeSerializer(request.user, data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(MeSerializer(request.user).data)


class TeamSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    escalation_contact = serializers.PrimaryKeyRelatedField(
        queryset=people_active(), allow_null=True, required=False
    )

    class Meta:
        model = Team
        fields = ["id", "slug", "name", "members", "escalation_contact"]


class MemberSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=people_active())


class TeamViewSet(viewsets.ModelViewSet):
    queryset = Team.objects.prefetch_related("members").select_related("escalation_contact")
    serializer_class = TeamSerializer
    permission_classes = [AdminWritesOthersRead]

    def perform_create(self, serializer):
        serializer.instance = services.team_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.team_update(
            team=serializer.instance, by=self.request.user, changes=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.team_delete(team=instance, by=self.request.user)

    @extend_schema(request=MemberSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAdmin])
    def members(self, request, pk=None):
        team = self.get_object()
        serializer = MemberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.team_add_member(team=team, by=request.user, user=serializer.validated_data["user"])
        team = self.get_queryset().get(pk=team.pk)
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)
