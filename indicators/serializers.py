"""How KRIs and readings look in the API (field names exactly as the contract)."""

import math

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.limits import BIGINT_MAX, BoundedDateTimeField, BoundedJSONField
from indicators.models import KRI, Band, Breach, Direction, OnRed, Reading
from people.selectors import people_active
from playbooks.durations import DurationError, duration_parse, duration_text
from risks.models import Risk, RiskStatus


class DurationField(serializers.Field):
    """ISO 8601 ("P7D", "PT6H") or integer seconds in; ISO 8601 out."""

    def to_internal_value(self, data):
        try:
            duration = duration_parse(data)
        except DurationError as error:
            raise serializers.ValidationError(str(error)) from None
        if not duration:
            raise serializers.ValidationError(_("The expected frequency must be longer than zero."))
        return duration

    def to_representation(self, value):
        return duration_text(value)


class FiniteFloatField(serializers.FloatField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            raise serializers.ValidationError(_("A valid number is required."))
        return value


class KRISerializer(serializers.ModelSerializer):
    risks = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Risk.objects.exclude(status=RiskStatus.ARCHIVED), required=False
    )
    owner = serializers.PrimaryKeyRelatedField(queryset=people_active())
    commander = serializers.PrimaryKeyRelatedField(queryset=people_active(), allow_null=True, required=False)
    direction = serializers.ChoiceField(choices=Direction.choices)
    on_red = serializers.ChoiceField(choices=OnRed.choices, required=False)
    amber = FiniteFloatField()
    red = FiniteFloatField()
    rule = BoundedJSONField(required=False)
    expected_every = DurationField(required=False, allow_null=True)

    class Meta:
        model = KRI
        fields = [
            "id",
            "name",
            "name_zh",
            "description",
            "unit",
            "risks",
            "owner",
            "direction",
            "amber",
            "red",
            "rule",
            "on_red",
            "commander",
            "expected_every",
            "band",
            "last_value",
            "last_measured_at",
        ]
        read_only_fields = ["band", "last_value", "last_measured_at"]


class ReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reading
        fields = ["id", "kri", "value", "measured_at", "band", "recorded_at", "recorded_by", "note"]


class ReadingInputSerializer(serializers.Serializer):
    """One reading of the KRI in the URL; `measured_at` defaults to now."""

    value = FiniteFloatField()
    measured_at = BoundedDateTimeField(required=False)


def _as_id(value) -> int | None:
    """The id a KRI is named by (7 or "7"), or None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class KRIField(serializers.PrimaryKeyRelatedField):
    """A KRI by id. In a list of readings it is found among the KRIs the list looked up at once
    (`ReadingListSerializer`), with the same errors as one looked up alone."""

    def to_internal_value(self, data):
        found = getattr(self.root, "kris_named", None)
        if found is None:
            return super().to_internal_value(data)
        pk = _as_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if pk not in found:
            self.fail("does_not_exist", pk_value=data)
        return found[pk]


class ReadingListSerializer(serializers.ListSerializer):
    """A list of readings naming their KRIs: one query finds every KRI named, not one per reading."""

    def to_internal_value(self, data):
        if isinstance(data, list):
            named = {_as_id(item.get("kri")) for item in data if isinstance(item, dict)}
            # An id past the column's range names nothing (and must not reach the database).
            self.kris_named = KRI.objects.in_bulk({pk for pk in named if pk and 0 < pk <= BIGINT_MAX})
        return super().to_internal_value(data)


class ReadingOfAnyKRISerializer(ReadingInputSerializer):
    """One reading of the KRI it names (the bulk endpoint and CSV import)."""

    kri = KRIField(queryset=KRI.objects.all())

    class Meta:
        list_serializer_class = ReadingListSerializer


class ReadingResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="reading.id")
    kri = serializers.IntegerField(source="reading.kri_id")
    value = serializers.FloatField(source="reading.value")
    measured_at = serializers.DateTimeField(source="reading.measured_at")
    band = serializers.ChoiceField(source="reading.band", choices=Band.choices)
    breach = serializers.IntegerField(
        allow_null=True, help_text="The breach this reading belongs to, if any."
    )
    incident = serializers.IntegerField(
        allow_null=True, help_text="The incident opened for the breach this reading belongs to, if any."
    )

    def to_representation(self, result):
        """The fields above, written directly: a bulk answer holds thousands of these."""
        reading, breach = result.reading, result.breach
        return {
            "id": reading.id,
            "kri": reading.kri_id,
            "value": float(reading.value),
            "measured_at": self.fields["measured_at"].to_representation(reading.measured_at),
            "band": reading.band,
            "breach": breach.pk if breach else None,
            "incident": breach.incident_id if breach else None,
        }


class BreachSerializer(serializers.ModelSerializer):
    class Meta:
        model = Breach
        fields = [
            "id",
            "kri",
            "state",
            "band",
            "opened_at",
            "red_at",
            "closed_at",
            "action",
            "incident",
            "note",
        ]


class ReadingsImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV with the columns kri, value, measured_at.")
