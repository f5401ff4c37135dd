"""Query-string filters: a value outside a filter's choices is a 400 naming the allowed values,
never silently ignored (a client misspelling `?status=` would otherwise read the wrong list)."""

from django import forms
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = ("true", "false")


def allowed_values_message(values) -> str:
    return _("Choose one of: %(values)s.") % {"values": ", ".join(str(value) for value in values)}


def choice_parameter(query_params, name: str, values) -> str | None:
    """The filter's value, one of `values`; None when absent or empty."""
    raw = query_params.get(name)
    if raw in (None, ""):
        return None
    if raw not in values:
        raise ValidationError({name: [allowed_values_message(values)]})
    return raw


def boolean_parameter(query_params, name: str) -> bool | None:
    """`true` or `false` (also 1/0, yes/no); None when absent or empty."""
    raw = query_params.get(name)
    if raw in (None, ""):
        return None
    value = raw.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise ValidationError({name: [allowed_values_message(BOOLEAN_VALUES)]})


class NamedChoiceField(forms.ChoiceField):
    """A form's choice filter whose error names the allowed values."""

    def validate(self, value):
        if value and not self.valid_value(value):
            keys = [key for key, _label in self.choices if key]
            raise forms.ValidationError(allowed_values_message(keys), code="invalid_choice")
        super().validate(value)


class NamedChoiceSerializerField(serializers.ChoiceField):
    """A serializer's choice (a filter read by a serializer) whose error names the allowed values."""

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[str(data)]
        except KeyError:
            raise ValidationError(allowed_values_message(self.choice_strings_to_values)) from None
