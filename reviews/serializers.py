"""The review's JSON: what the API returns and what it accepts."""

from rest_framework import serializers

from core.limits import BIGINT_MAX, TEXT_MAX_LENGTH, BoundedDateTimeField
from incidents.serializers import TimelineEntrySerializer
from people.selectors import people_active
from reviews.models import MAX_WHYS, FollowUpAction, PlaybookProposal, RatingDecision, Review, RiskRating
from risks.serializers import RATING


class RiskRatingSerializer(serializers.ModelSerializer):
    ref = serializers.CharField(source="risk.ref", read_only=True)
    title = serializers.CharField(source="risk.title", read_only=True)
    proposed_by_drill = serializers.SerializerMethodField()

    class Meta:
        model = RiskRating
        fields = [
            "risk",
            "ref",
            "title",
            "decision",
            "likelihood",
            "impact",
            "residual_likelihood",
            "residual_impact",
            "note",
            "proposed_by_drill",
            "applied_at",
            "applied_by",
            "applied_reason",
        ]

    def get_proposed_by_drill(self, rating: RiskRating) -> int | None:
        """The drill's incident id when this re-rating is only a drill's proposal (not applied unless
        `applied_at` is set)."""
        return rating.review.incident_id if rating.is_drill_proposal else None


class ProposalSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="draft.version", read_only=True)

    class Meta:
        model = PlaybookProposal
        fields = ["id", "used", "draft", "version", "rationale", "diff", "proposed_by", "proposed_at"]


class FollowUpSerializer(serializers.ModelSerializer):
    incident = serializers.IntegerField(source="review.incident_id", read_only=True)

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "incident",
            "title",
            "owner",
            "due_at",
            "state",
            "done_at",
            "due_reminded_at",
            "overdue_reminded_at",
        ]
        read_only_fields = ["state", "done_at", "due_reminded_at", "overdue_reminded_at"]


class StepRecordSerializer(serializers.Serializer):
    task = serializers.IntegerField(source="task_id")
    tier = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField()
    due_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField()
    on_time = serializers.BooleanField(allow_null=True)
    escalation_level = serializers.IntegerField()


class ReviewSerializer(serializers.ModelSerializer):
    pinned = serializers.SerializerMethodField()
    ratings = RiskRatingSerializer(many=True, read_only=True)
    proposals = ProposalSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    on_time = StepRecordSerializer(many=True, read_only=True, source="on_time_record")

    class Meta:
        model = Review
        fields = [
            "incident",
            "status",
            "opened_at",
            "summary",
            "root_cause",
            "whys",
            "what_worked",
            "what_did_not",
            "pinned",
            "on_time",
            "ratings",
            "proposals",
            "follow_ups",
            "completed_at",
            "completed_by",
            "waiver_reason",
        ]

    def get_pinned(self, review) -> list[dict]:
        return TimelineEntrySerializer([pin.entry for pin in review.pinned.all()], many=True).data


class RatingInputSerializer(serializers.Serializer):
    risk = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    decision = serializers.ChoiceField(choices=[RatingDecision.RERATE, RatingDecision.KEEP])
    likelihood = serializers.IntegerField(required=False, allow_null=True, **RATING)
    impact = serializers.IntegerField(required=False, allow_null=True, **RATING)
    residual_likelihood = serializers.IntegerField(required=False, allow_null=True, **RATING)
    residual_impact = serializers.IntegerField(required=False, allow_null=True, **RATING)
    note = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)


class ReviewUpdateSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    root_cause = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    whys = serializers.ListField(
        child=serializers.CharField(max_length=TEXT_MAX_LENGTH), required=False, max_length=MAX_WHYS
    )
    what_worked = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    what_did_not = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    pinned = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        required=False,
        help_text="Timeline seqs.",
    )
    ratings = RatingInputSerializer(many=True, required=False)


class ApplyProposalSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, help_text="Why the drill's proposal should change the register."
    )


class WaiverSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class ProposalInputSerializer(serializers.Serializer):
    rationale = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    spec = serializers.DictField(help_text="The changed parts of the playbook, in the contract's shape.")


class FollowUpInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    owner = serializers.PrimaryKeyRelatedField(queryset=people_active())
    due_at = BoundedDateTimeField()
