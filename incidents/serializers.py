"""The contract's shapes of incidents, tasks and timeline entries."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.limits import BIGINT_MAX, TEXT_MAX_LENGTH, BoundedDateTimeField
from incidents.models import MAX_CLOCK_RATE, Incident, IncidentRole, RoleHolding, Task, TimelineEntry
from people.models import Team
from people.selectors import people_active
from playbooks.durations import DurationError, duration_parse, duration_text
from playbooks.models import RaciRole
from risks.models import Risk


def party(assignment) -> dict:
    """{"team": id}, {"user": id}, or a team's on-call person: {"team": id, "on_call": true,
    "on_call_person": who is on call now (null: nobody, so the team; and before the task opens)}."""
    if assignment.on_call:
        return {"team": assignment.team_id, "on_call": True, "on_call_person": assignment.on_call_person_id}
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


class RoleHoldingSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleHolding
        fields = ["role", "user", "started_at", "ended_at", "assigned_by", "reason"]


class IncidentDetailSerializer(IncidentSerializer):
    tasks = TaskSerializer(many=True)
    roles = serializers.SerializerMethodField()
    role_history = RoleHoldingSerializer(source="role_holdings", many=True, read_only=True)
    latest_update = serializers.SerializerMethodField()
    next_update_due_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta(IncidentSerializer.Meta):
        fields = [
            *IncidentSerializer.Meta.fields,
            "tasks",
            "resolution_summary",
            "roles",
            "role_history",
            "latest_update",
            "next_update_due_at",
        ]

    @extend_schema_field(serializers.DictField())
    def get_roles(self, incident) -> dict:
        """Who holds each role now: {"commander": id, "communications": id | null, "scribe": id | null}."""
        roles = dict.fromkeys(IncidentRole.values)
        for holding in incident.role_holdings.all():
            if holding.ended_at is None:
                roles[holding.role] = holding.user_id
        roles[IncidentRole.COMMANDER] = incident.commander_id
        return roles

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_latest_update(self, incident) -> dict | None:
        entry = getattr(incident, "latest_update", None)
        return TimelineEntrySerializer(entry).data if entry else None


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


def optional_text(**options) -> serializers.CharField:
    """A free text that may be left out or blank, refused beyond the documented limit."""
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH, **options
    )


class NoteSerializer(serializers.Serializer):
    note = optional_text()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class BodySerializer(serializers.Serializer):
    """A status update: `body` alone (as always), or its structured parts, or both."""

    body = optional_text()
    what_happened = optional_text()
    impact = optional_text()
    actions = optional_text(help_text="What is being done.")
    needs = optional_text(help_text="What is needed.")
    next_update_at = BoundedDateTimeField(required=False, allow_null=True, default=None)


class ResolveSerializer(serializers.Serializer):
    """All optional, so that the contract's bare POST still resolves; the war room asks for a summary."""

    summary = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=TEXT_MAX_LENGTH
    )
    open_tasks = serializers.ChoiceField(choices=["keep", "skip"], default="keep")
    skip_reason = optional_text()


class SeveritySerializer(serializers.Serializer):
    severity = serializers.IntegerField(min_value=1, max_value=4)
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class TitleSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class CommanderSerializer(serializers.Serializer):
    commander = serializers.PrimaryKeyRelatedField(queryset=people_active())
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=IncidentRole.choices)
    user = serializers.PrimaryKeyRelatedField(queryset=people_active(), allow_null=True)
    reason = optional_text()


class RiskLinkSerializer(serializers.Serializer):
    risk = serializers.PrimaryKeyRelatedField(queryset=Risk.objects.all())
    reason = optional_text()


class PartySerializer(serializers.Serializer):
    """{"team": id}, {"user": id}, or a team's on-call person: {"team": id, "on_call": true}."""

    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False)
    user = serializers.PrimaryKeyRelatedField(queryset=people_active(), required=False)
    on_call = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        on_call = attrs.pop("on_call", False)
        if len(attrs) != 1:
            raise serializers.ValidationError("Name exactly one team or one person.")
        if on_call and "team" not in attrs:
            raise serializers.ValidationError({"on_call": ["Only a team has an on-call person."]})
        return {**attrs, "on_call": True} if on_call else attrs


class DurationField(serializers.Field):
    """An ISO 8601 duration (PT30M) or a number of seconds, as the playbooks write them."""

    def to_internal_value(self, data):
        try:
            return duration_parse(data)
        except DurationError as error:
            raise serializers.ValidationError(str(error)) from None

    def to_representation(self, value):
        return duration_text(value)


class AddTaskSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    responsible = PartySerializer(many=True)
    accountable = PartySerializer()
    consulted = PartySerializer(many=True, required=False, default=list)
    informed = PartySerializer(many=True, required=False, default=list)
    due_at = BoundedDateTimeField(required=False, default=None)
    due_after = DurationField(
        required=False, default=None, help_text="Plan time from now, instead of due_at."
    )
    escalate_after = DurationField(help_text="Plan time between escalation levels, from the due time.")


class ReassignSerializer(serializers.Serializer):
    responsible = PartySerializer(many=True, required=False)
    accountable = PartySerializer(required=False)
    due_at = BoundedDateTimeField(required=False)
    reason = optional_text()
