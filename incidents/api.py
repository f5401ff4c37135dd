"""/api/v1/incidents/ and /api/v1/tasks/: views check, validate, call one service, serialise."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.filtering import boolean_parameter, choice_parameter
from incidents import permissions, selectors, services
from incidents.models import IncidentRole, IncidentStatus
from incidents.serializers import (
    AddTaskSerializer,
    BodySerializer,
    CommanderSerializer,
    DeclareSerializer,
    IncidentDetailSerializer,
    IncidentSerializer,
    NoteSerializer,
    ReasonSerializer,
    ReassignSerializer,
    ResolveSerializer,
    RiskLinkSerializer,
    RoleSerializer,
    SeveritySerializer,
    TaskSerializer,
    TimelineEntrySerializer,
    TitleSerializer,
)


class IncidentViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Incidents the requester may see; anyone else's are 404."""

    def get_queryset(self):
        if self.action == "list":
            query = self.request.query_params
            return selectors.incident_list(
                user=self.request.user,
                status=choice_parameter(query, "status", IncidentStatus.values),
                drill=boolean_parameter(query, "drill"),
            )
        return selectors.incidents_visible_to(self.request.user)  # the actions need no more to check

    def get_serializer_class(self):
        return IncidentSerializer if self.action == "list" else IncidentDetailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=IncidentStatus.values),
            OpenApiParameter("drill", bool, description="Only drills (true) or only real incidents (false)."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def detail_response(self, incident_id, status_code=status.HTTP_200_OK):
        incident = get_object_or_404(
            selectors.incidents_as_in_contract(user=self.request.user), pk=incident_id
        )
        incident.latest_update = selectors.latest_update(incident_id=incident.pk)
        return Response(IncidentDetailSerializer(incident).data, status=status_code)

    def retrieve(self, request, pk=None):
        return self.detail_response(pk)

    @extend_schema(request=DeclareSerializer, responses={201: IncidentDetailSerializer})
    def create(self, request):
        form = DeclareSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        incident = services.incident_declare(
            title=data["title"],
            severity=data["severity"],
            playbook_id=data["playbook"],
            commander=data["commander"],
            declared_by=request.user,
            risks=data["risks"],
            drill=data["drill"],
            clock_rate=data["clock_rate"],
        )
        return self.detail_response(incident.pk, status.HTTP_201_CREATED)

    def commanded(self):
        incident = self.get_object()
        if not permissions.may_command(self.request.user, incident):
            raise PermissionDenied("Only the incident's commander or an administrator may do this.")
        return incident

    @extend_schema(request=None, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="advance-tier")
    def advance_tier(self, request, pk=None):
        incident = services.incident_advance_tier(incident_id=self.commanded().pk, by=request.user)
        return self.detail_response(incident.pk)

    @extend_schema(request=None, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def stabilize(self, request, pk=None):
        return self.detail_response(
            services.incident_stabilize(incident_id=self.commanded().pk, by=request.user).pk
        )

    @extend_schema(request=ResolveSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        incident = self.commanded()
        data = self.valid(ResolveSerializer)
        services.incident_resolve(
            incident_id=incident.pk,
            by=request.user,
            summary=data.get("summary"),
            open_tasks=data["open_tasks"],
            skip_reason=data["skip_reason"],
        )
        return self.detail_response(incident.pk)

    def valid(self, serializer_class) -> dict:
        form = serializer_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        return form.validated_data

    @extend_schema(request=SeveritySerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def severity(self, request, pk=None):
        incident = self.commanded()
        data = self.valid(SeveritySerializer)
        services.incident_change_severity(
            incident_id=incident.pk, severity=data["severity"], reason=data["reason"], by=request.user
        )
        return self.detail_response(incident.pk)

    @extend_schema(request=TitleSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def title(self, request, pk=None):
        incident = self.commanded()
        data = self.valid(TitleSerializer)
        services.incident_change_title(
            incident_id=incident.pk, title=data["title"], reason=data["reason"], by=request.user
        )
        return self.detail_response(incident.pk)

    @extend_schema(request=CommanderSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def commander(self, request, pk=None):
        incident = self.commanded()
        data = self.valid(CommanderSerializer)
        services.incident_assign_role(
            incident_id=incident.pk,
            role=IncidentRole.COMMANDER,
            user=data["commander"],
            reason=data["reason"],
            by=request.user,
        )
        return self.detail_response(incident.pk)

    @extend_schema(request=RoleSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def roles(self, request, pk=None):
        incident = self.commanded()
        data = self.valid(RoleSerializer)
        services.incident_assign_role(
            incident_id=incident.pk,
            role=data["role"],
            user=data["user"],
            reason=data["reason"],
            by=request.user,
        )
        return self.detail_response(incident.pk)

    @extend_schema(request=RiskLinkSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def risks(self, request, pk=None):
        incident = self.commanded()
        data = self.valid(RiskLinkSerializer)
        services.incident_link_risk(
            incident_id=incident.pk, risk=data["risk"], reason=data["reason"], by=request.user
        )
        return self.detail_response(incident.pk)

    @extend_schema(request=RiskLinkSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="risks/unlink")
    def unlink_risk(self, request, pk=None):
        incident = self.commanded()
        data = self.valid(RiskLinkSerializer)
        services.incident_unlink_risk(
            incident_id=incident.pk, risk=data["risk"], reason=data["reason"], by=request.user
        )
        return self.detail_response(incident.pk)

    @extend_schema(request=AddTaskSerializer, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"])
    def tasks(self, request, pk=None):
        incident = self.commanded()
        data = self.valid(AddTaskSerializer)
        task = services.task_add(
            incident_id=incident.pk,
            by=request.user,
            title=data["title"],
            responsible=data["responsible"],
            accountable=data["accountable"],
            consulted=data["consulted"],
            informed=data["informed"],
            due_at=data["due_at"],
            due_after=data["due_after"],
            escalate_after=data["escalate_after"],
        )
        task = selectors.tasks_visible_to(request.user).get(pk=task.pk)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.detail_response(
            services.incident_close(incident_id=self.commanded().pk, by=request.user).pk
        )

    @extend_schema(request=ReasonSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        incident = self.commanded()
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.incident_reopen(
            incident_id=incident.pk, by=request.user, reason=form.validated_data["reason"]
        )
        return self.detail_response(incident.pk)

    @extend_schema(request=BodySerializer, responses={201: TimelineEntrySerializer})
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        incident = self.get_object()
        entry = services.incident_post_update(
            incident_id=incident.pk, by=request.user, **self.valid(BodySerializer)
        )
        return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("since", int, description="Only entries after this seq."),
            OpenApiParameter("type", str, description="Only entries of this type, e.g. status.update."),
        ],
        responses=TimelineEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        incident = self.get_object()
        since = request.query_params.get("since", "0")
        if not since.isdigit():
            return Response(
                {"since": ["A whole number, the last seq you have."]}, status=status.HTTP_400_BAD_REQUEST
            )
        entries = selectors.incident_timeline(
            incident=incident, since=int(since), type=request.query_params.get("type") or None
        )
        return Response(TimelineEntrySerializer(entries, many=True).data)


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tasks of incidents the requester may see. `?mine=true`: what is theirs to do now."""

    serializer_class = TaskSerializer

    def get_queryset(self):
        user = self.request.user
        if self.action == "list" and boolean_parameter(self.request.query_params, "mine"):
            return selectors.my_tasks(user=user)
        return (
            selectors.tasks_visible_to(user).select_related("incident").order_by("incident", "due_at", "pk")
        )

    def checked_task(self, allowed):
        task = self.get_object()
        if not allowed(self.request.user, task):
            raise PermissionDenied("You are not Responsible or Accountable for this task.")
        return task

    def task_response(self, task_id):
        return Response(TaskSerializer(self.get_queryset().get(pk=task_id)).data)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        task = self.checked_task(permissions.may_work_on)
        return self.task_response(services.task_acknowledge(task_id=task.pk, by=request.user).pk)

    @extend_schema(request=NoteSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self.checked_task(permissions.may_work_on)
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.task_complete(task_id=task.pk, by=request.user, note=form.validated_data["note"])
        return self.task_response(task.pk)

    @extend_schema(request=ReasonSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def skip(self, request, pk=None):
        task = self.checked_task(permissions.may_work_on)
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.task_skip(task_id=task.pk, by=request.user, reason=form.validated_data["reason"])
        return self.task_response(task.pk)

    @extend_schema(request=ReassignSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        task = self.checked_task(permissions.may_reassign)
        form = ReassignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        services.task_reassign(
            task_id=task.pk,
            by=request.user,
            responsible=data.get("responsible"),
            accountable=data.get("accountable"),
            due_at=data.get("due_at"),
            reason=data["reason"],
        )
        return self.task_response(task.pk)
