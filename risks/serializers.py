"""How the register looks in the API (field names exactly as the contract)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.limits import BIGINT_MAX, TEXT_MAX_LENGTH, BoundedDateTimeField
from people.selectors import people_active
from playbooks.models import Playbook
from risks.models import (
    Acceptance,
    ActionStatus,
    Category,
    ImportJob,
    Level,
    LookedAt,
    ReviewOutcome,
    Risk,
    RiskMatrix,
    RiskReview,
    RiskStatus,
    ScoreChange,
    Source,
    Treatment,
    TreatmentAction,
    in_current_language,
)
from risks.scoring import RATING_FIELDS

RATING = {"min_value": 1, "max_value": 32767}


def iso_days(days: int) -> str:
    return f"P{days}D"


class MatrixSerializer(serializers.ModelSerializer):
    likelihood = serializers.SerializerMethodField()
    impact = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField()

    class Meta:
        model = RiskMatrix
        fields = ["version", "likelihood", "impact", "levels", "grid", "appetite", "created_at"]

    def _scale(self, scale):
        return [
            {"value": step["value"], "label": in_current_language(step["label_en"], step["label_zh"])}
            for step in scale
        ]

    def get_likelihood(self, matrix) -> list[dict]:
        return self._scale(matrix.likelihood)

    def get_impact(self, matrix) -> list[dict]:
        return self._scale(matrix.impact)

    def get_levels(self, matrix) -> list[dict]:
        return [
            {
                "key": level["key"],
                "label": in_current_language(level["label_en"], level["label_zh"]),
                "color": level["color"],
                "review_interval": iso_days(level["review_interval_days"]),
            }
            for level in matrix.levels
        ]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["key", "label", "label_en", "label_zh", "active", "appetite", "appetite_score"]


class CategoryAppetiteSerializer(serializers.Serializer):
    """Either may be left out: it keeps its value."""

    appetite = serializers.ChoiceField(
        choices=Level.choices,
        allow_blank=True,
        required=False,
        help_text=_("The highest residual level accepted in this category; empty: the matrix's appetite."),
    )
    appetite_score = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        max_value=32767,
        required=False,
        help_text=_("Optional: the highest residual score (likelihood × impact) accepted."),
    )


class RiskSerializer(serializers.ModelSerializer):
    """A risk as read, and as written by create / update (with `reason` and `version`)."""

    ref = serializers.CharField(read_only=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    category = serializers.SlugRelatedField(slug_field="key", queryset=Category.objects.filter(active=True))
    owner = serializers.PrimaryKeyRelatedField(queryset=people_active())
    source = serializers.ChoiceField(choices=Source.choices, required=False)
    treatment = serializers.ChoiceField(choices=Treatment.choices, required=False)
    status = serializers.ChoiceField(choices=RiskStatus.choices, required=False)
    playbook = serializers.PrimaryKeyRelatedField(
        queryset=Playbook.objects.all(), allow_null=True, required=False
    )
    likelihood = serializers.IntegerField(
        required=False, help_text=_('Empty on a risk not rated yet (`"rated": false`).'), **RATING
    )
    impact = serializers.IntegerField(required=False, **RATING)
    residual_likelihood = serializers.IntegerField(required=False, **RATING)
    residual_impact = serializers.IntegerField(required=False, **RATING)
    target_likelihood = serializers.IntegerField(required=False, allow_null=True, **RATING)
    target_impact = serializers.IntegerField(required=False, allow_null=True, **RATING)
    next_review_at = BoundedDateTimeField(
        required=False, help_text=_("Empty: derived from the interval of the residual level.")
    )
    matrix_version = serializers.IntegerField(source="matrix.version", read_only=True)
    rated = serializers.BooleanField(read_only=True)
    review_overdue = serializers.SerializerMethodField()
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why the ratings change: required when they do."),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=BIGINT_MAX,
        help_text=_("The version you read; a stale one gets 409 and changes nothing."),
    )

    class Meta:
        model = Risk
        fields = [
            "id",
            "ref",
            "title",
            "description",
            "cause",
            "event",
            "consequence",
            "category",
            "source",
            "owner",
            "matrix_version",
            "rated",
            "likelihood",
            "impact",
            "score",
            "level",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_level",
            "target_likelihood",
            "target_impact",
            "target_level",
            "above_appetite",
            "treatment",
            "treatment_reopened_at",
            "playbook",
            "review_interval_days",
            "next_review_at",
            "review_overdue",
            "status",
            "version",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "score",
            "level",
            "residual_score",
            "residual_level",
            "target_level",
            "above_appetite",
            "treatment_reopened_at",
        ]

    def get_review_overdue(self, risk) -> bool:
        return risk.review_overdue(self.context.get("now") or timezone.now())

    def to_representation(self, risk):
        data = super().to_representation(risk)
        for level in ("level", "residual_level"):
            data[level] = data[level] or None  # not rated: null, like its likelihood and impact
        return data

    def validate(self, attrs):
        # `description` alone (a client that knows no cause → event → consequence) is the event.
        description = attrs.pop("description", None)
        if description is not None and not {"cause", "event", "consequence"} & attrs.keys():
            attrs["event"] = description
        pairs = [
            ("likelihood", "impact"),
            ("target_likelihood", "target_impact"),
            ("residual_likelihood", "residual_impact"),
        ]
        if self.instance is None:
            for first, second in pairs:
                if (attrs.get(first) is None) != (attrs.get(second) is None):
                    missing = second if attrs.get(second) is None else first
                    raise serializers.ValidationError({missing: [_("Give likelihood and impact together.")]})
        return attrs


class ScoreChangeSerializer(serializers.ModelSerializer):
    by = serializers.PrimaryKeyRelatedField(read_only=True)
    by_name = serializers.StringRelatedField(source="by")
    incident = serializers.IntegerField(source="incident_id")
    source = serializers.CharField(read_only=True, help_text=_("Where the change came from."))
    review = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("The periodic review, if any."))
    import_job = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("The import, if any."))

    class Meta:
        model = ScoreChange
        fields = ["at", "by", "by_name", "reason", "source", "incident", "review", "import_job"]

    def to_representation(self, change):
        data = super().to_representation(change)
        data["from"] = change.before
        data["to"] = change.after
        return data


class HeatMapRiskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref = serializers.CharField()
    title = serializers.CharField()


class HeatMapCellSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField()
    impact = serializers.IntegerField()
    level = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Open risks rated in this cell."))
    risks = HeatMapRiskSerializer(
        source="named",
        many=True,
        help_text=_("The first few of them, by reference."),
    )


class HeatMapSerializer(serializers.Serializer):
    rating = serializers.CharField()
    matrix_version = serializers.IntegerField(source="matrix.version")
    total = serializers.IntegerField(help_text=_("Open, rated risks."))
    not_rated = serializers.IntegerField(help_text=_("Open risks nobody has rated yet, in no cell."))
    cells = HeatMapCellSerializer(many=True)


class ReviewSerializer(serializers.ModelSerializer):
    """A periodic review: what was looked at, a note, the outcome, and new ratings if they change
    (written to the history with the note as their reason and the review as their source)."""

    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    looked_at = serializers.MultipleChoiceField(choices=LookedAt.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    next_review_at = BoundedDateTimeField(required=False)
    reviewed_by = serializers.PrimaryKeyRelatedField(read_only=True)
    likelihood = serializers.IntegerField(write_only=True, required=False, **RATING)
    impact = serializers.IntegerField(write_only=True, required=False, **RATING)
    residual_likelihood = serializers.IntegerField(write_only=True, required=False, **RATING)
    residual_impact = serializers.IntegerField(write_only=True, required=False, **RATING)
    target_likelihood = serializers.IntegerField(write_only=True, required=False, **RATING)
    target_impact = serializers.IntegerField(write_only=True, required=False, **RATING)

    class Meta:
        model = RiskReview
        fields = [
            "id",
            "outcome",
            "looked_at",
            "notes",
            "next_review_at",
            "reviewed_at",
            "reviewed_by",
            *RATING_FIELDS,
        ]
        read_only_fields = ["reviewed_at"]

    def to_representation(self, review):
        data = super().to_representation(review)
        data["looked_at"] = [key for key in LookedAt.values if key in review.looked_at]
        return data

    def service_arguments(self) -> dict:
        """The validated body as risks.services.risk_review takes it."""
        data = dict(self.validated_data)
        data["looked_at"] = [key for key in LookedAt.values if key in data.get("looked_at", ())]
        data["ratings"] = {field: data.pop(field) for field in RATING_FIELDS if field in data}
        return data


class RescoreSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=people_active())
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    due_at = BoundedDateTimeField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = TreatmentAction
        fields = ["id", "risk", "title", "owner", "due_at", "status", "overdue", "completed_at"]
        read_only_fields = ["risk", "completed_at"]

    def get_overdue(self, action) -> bool:
        return action.overdue()


class ActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "filename",
            "dry_run",
            "status",
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "errors",
            "changes",
            "created_at",
            "finished_at",
        ]


class AcceptanceSerializer(serializers.ModelSerializer):
    """A request to accept a risk as it is, and what became of it."""

    justification = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    conditions = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    expires_at = BoundedDateTimeField(help_text=_("When the acceptance ends: within a year."))
    lapse_reason = serializers.SerializerMethodField(help_text=_("Why it lapsed, in words."))

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "risk",
            "state",
            "requested_by",
            "requested_at",
            "justification",
            "conditions",
            "expires_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "lapsed_at",
            "lapse_cause",
            "lapse_reason",
            "lapse_detail",
        ]
        read_only_fields = [
            "risk",
            "state",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "lapsed_at",
            "lapse_cause",
            "lapse_detail",
        ]

    def get_lapse_reason(self, acceptance) -> str:
        return str(acceptance.lapse_reason)


class AcceptanceDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Optional when approving; required when declining."),
    )
