"""The contract's shapes of incidents, tasks and timeline entries."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.limits import BIGINT_MAX, TEXT_MAX_LENGTH, BoundedDateTimeField
from incidents.models import MAX_CLOCK_RATE, Incident, Task, TimelineEntry
from people.models import Team
from people.selectors import people_active
from playbooks.models import RaciRole
from risks.models import Risk


def party(assignment) -> dict:
    return {"team": assignment.team_id} if assignment.team_id else {"user": assignment.user_id}


def raci_of(task: Task) -> dict:
    raci = {"responsible": [], "accountable": None, "consulted": [], "informed": []}
    for assignment in task.assignments.all():
        if assignment.role == RaciRole.ACCOUNTABLE:
            raci["accountable"] = party(assignment)
        else:
            raci[assignment.role].append(party(assignment))
    return raci


class TaskSerializer(serializers.ModelSerializer):
    tier = serializers.CharField(source="tier.key")
    raci = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "incident",
            "step",
            "tier",
            "title",
            "state",
            "opened_at",
            "due_at",
            "next_escalation_at",
            "escalation_level",
            "acknowledged_at",
            "finished_at",
            "note",
            "raci",
        ]

    @extend_schema_field(serializers.DictField())
    def get_raci(self, task) -> dict:
        return raci_of(task)


class PlaybookRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()


class IncidentSerializer(serializers.ModelSerializer):
    current_tier = serializers.CharField(source="current_tier.key")
    next_tier_at = serializers.DateTimeField(read_only=True, allow_null=True)
    playbook = PlaybookRefSerializer()
    risks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "risks",
            "title",
            "severity",
            "status",
            "drill",
            "clock_rate",
            "declared_at",
            "commander",
            "current_tier",
            "tier_started_at",
            "next_tier_at",
            "resolved_at",
            "closed_at",
            "playbook",
        ]


class IncidentDetailSerializer(IncidentSerializer):
    tasks = TaskSerializer(many=True)

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "tasks"]


class DeclareSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    severity = serializers.IntegerField(min_value=1, max_value=4)
    playbook = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    commander = serializers.PrimaryKeyRelatedField(queryset=people_active())
    risks = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Risk.objects.all(), required=False, default=list
    )
    drill = serializers.BooleanField(default=False)
    clock_rate = serializers.IntegerField(min_value=1, max_value=MAX_CLOCK_RATE, default=1)


class TimelineEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = TimelineEntry
        fields = ["seq", "at", "type", "actor", "data"]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class BodySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class PartySerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False)
    user = serializers.PrimaryKeyRelatedField(queryset=people_active(), required=False)

    def validate(self, attrs):
        if len(attrs) != 1:
            raise serializers.ValidationError("Name exactly one team or one person.")
        return attrs


class ReassignSerializer(serializers.Serializer):
    responsible = PartySerializer(many=True, required=False)
    accountable = PartySerializer(required=False)
    due_at = BoundedDateTimeField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)
