"""The forms of the KRI pages: a KRI's settings, and a reading entered by hand (the API has its
serializers). What a rule may be is decided by rules.py, for the pages as for the API."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.limits import MAX_DURATION, TEXT_MAX_LENGTH, BoundedFormDateTimeField
from indicators.models import KRI, Direction, OnRed
from indicators.rules import (
    CHANGE,
    CONSECUTIVE,
    PREVIOUS,
    THRESHOLD,
    Rule,
    rule_as_json,
    rule_parse,
    threshold_errors,
)
from people.selectors import people_active
from risks.models import Risk, RiskStatus

RULE_KINDS = [
    (THRESHOLD, _("Beyond a threshold")),
    (CHANGE, _("A change in percent against a baseline")),
    (CONSECUTIVE, _("Beyond red for consecutive readings")),
]
# The expected reading period, in the largest of these that divides it.
PERIOD_UNITS = {
    "weeks": dt.timedelta(weeks=1),
    "days": dt.timedelta(days=1),
    "hours": dt.timedelta(hours=1),
    "minutes": dt.timedelta(minutes=1),
}
PERIOD_CHOICES = [
    ("weeks", _("weeks")),
    ("days", _("days")),
    ("hours", _("hours")),
    ("minutes", _("minutes")),
]
# The fields that make the rule: the page explains them in words as they are filled in.
RULE_FIELDS = ["direction", "rule_type", "amber", "red", "count", "baseline", "either_way"]


def _plain(value):
    """A whole number shown without its ".0" (an amber of 10, not 10.0)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _people():
    return people_active().order_by("username")


class KRIForm(forms.Form):
    name = forms.CharField(label=_("Name in English"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        help_text=_("As readers see it, e.g. k users, points, M CNY."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the indicator measures and what a breach calls for."),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    rule_type = forms.ChoiceField(label=_("Rule"), choices=RULE_KINDS, initial=THRESHOLD)
    amber = forms.FloatField(label=_("Amber threshold"), help_text=_("A change rule counts it in percent."))
    red = forms.FloatField(label=_("Red threshold"), help_text=_("A change rule counts it in percent."))
    count = forms.IntegerField(
        label=_("Consecutive readings for red"),
        min_value=2,
        max_value=100,
        required=False,
        help_text=_("A reading beyond red is amber until this many in a row are."),
    )
    baseline = forms.FloatField(
        label=_("Baseline"),
        required=False,
        help_text=_("A fixed value such as a benchmark. Empty: each reading against the one before it."),
    )
    either_way = forms.BooleanField(label=_("Count rises and falls alike"), required=False)
    risks = forms.ModelMultipleChoiceField(
        label=_("Linked risks"),
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The risks whose reviews a breach brings forward, or whose playbook an incident runs."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_people(), help_text=_("Told of every breach."))
    on_red = forms.ChoiceField(label=_("Action on red"), choices=OnRed.choices, initial=OnRed.NOTIFY)
    commander = forms.ModelChoiceField(
        label=_("Incident commander"),
        queryset=_people(),
        required=False,
        empty_label=_("The linked risk's owner"),
        help_text=_("Empty: the owner of the linked risk commands the incident."),
    )
    expected_count = forms.IntegerField(
        label=_("Expected reading every"),
        min_value=1,
        required=False,
        help_text=_("Empty: no reading is expected, and none is flagged as missing."),
    )
    expected_unit = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, initial="weeks")

    def __init__(self, *args, linked=(), **kwargs):
        """`linked`: the ids of the risks the KRI edited is linked to, offered even if archived
        since, so that saving the form keeps those links."""
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = Risk.objects.filter(
            ~Q(status=RiskStatus.ARCHIVED) | Q(pk__in=linked)
        ).order_by("number")

    def clean(self):
        data = super().clean()
        kind = data.get("rule_type")
        if kind == CONSECUTIVE and data.get("count") is None and "count" not in self.errors:
            self.add_error("count", _("Say how many readings in a row beyond red make it red."))
        errors = rule_parse(self._rule_data(data))[1]
        if errors and not any(name in self.errors for name in ("rule_type", "count", "baseline")):
            self.add_error("baseline" if kind == CHANGE else "rule_type", errors["rule"])
        if None not in (kind, data.get("amber"), data.get("red"), data.get("direction")):
            for field, messages in threshold_errors(
                rule=Rule(type=kind), direction=data["direction"], amber=data["amber"], red=data["red"]
            ).items():
                self.add_error(field, messages)
        period = PERIOD_UNITS.get(data.get("expected_unit"))
        if data.get("expected_count") and period and data["expected_count"] * period > MAX_DURATION:
            self.add_error("expected_count", _("At most %(days)d days.") % {"days": MAX_DURATION.days})
        return data

    @staticmethod
    def _rule_data(data: dict) -> dict:
        kind = data.get("rule_type") or THRESHOLD
        if kind == CHANGE:
            baseline = data.get("baseline")
            return {
                "type": CHANGE,
                "baseline": PREVIOUS if baseline is None else baseline,
                "either_way": bool(data.get("either_way")),
            }
        if kind == CONSECUTIVE:
            return {"type": CONSECUTIVE, "count": data.get("count") or 0}
        return {"type": THRESHOLD}

    def kri_settings(self) -> dict:
        """The cleaned form as the services take a KRI's settings."""
        data = dict(self.cleaned_data)
        count, unit = data.pop("expected_count"), data.pop("expected_unit")
        data["expected_every"] = count * PERIOD_UNITS[unit] if count else None
        data["rule"] = rule_as_json(rule_parse(self._rule_data(data))[0])
        for name in ("rule_type", "count", "baseline", "either_way"):
            data.pop(name)
        return data

    @staticmethod
    def initial_for(settings: dict) -> dict:
        """The form's initial values from a KRI's settings (a KRI's own, or an example's)."""
        initial = {name: _plain(settings[name]) for name in KRIForm.base_fields if name in settings}
        rule = settings.get("rule") or {}
        initial["rule_type"] = rule.get("type", THRESHOLD)
        initial["count"] = rule.get("count")
        initial["baseline"] = (
            _plain(rule["baseline"]) if rule.get("baseline") not in (None, PREVIOUS) else None
        )
        initial["either_way"] = rule.get("either_way", False)
        every = settings.get("expected_every")
        if every:
            unit = next(
                (unit for unit, length in PERIOD_UNITS.items() if every % length == dt.timedelta(0)),
                "minutes",
            )
            initial["expected_count"] = max(round(every / PERIOD_UNITS[unit]), 1)
            initial["expected_unit"] = unit
        return initial

    def rule_preview(self) -> KRI | None:
        """An unsaved KRI with the rule the form holds, for indicators/_rule.html to put in words;
        None while the rule is incomplete or wrong (the fields say why)."""
        if self.is_bound:
            self.is_valid()
            if any(name in self.errors for name in RULE_FIELDS):
                return None
            values = self.cleaned_data
        else:
            values = {name: self.get_initial_for_field(self.fields[name], name) for name in RULE_FIELDS}
        if values.get("amber") is None or values.get("red") is None or not values.get("direction"):
            return None
        rule, _errors = rule_parse(self._rule_data(values))
        return KRI(
            direction=values["direction"], amber=values["amber"], red=values["red"], rule=rule_as_json(rule)
        )

    @staticmethod
    def settings_of(kri: KRI) -> dict:
        settings = {name: getattr(kri, name) for name in KRIForm.base_fields if hasattr(kri, name)}
        settings.update(
            owner=kri.owner_id,
            commander=kri.commander_id,
            risks=[risk.pk for risk in kri.risks.all()],
            rule=kri.rule,
            expected_every=kri.expected_every,
        )
        return settings


class ReadingForm(forms.Form):
    value = forms.FloatField(label=_("Value"))
    measured_at = BoundedFormDateTimeField(
        label=_("Measured at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone. Empty: now."),
    )
    note = forms.CharField(
        label=pgettext_lazy("a reading's", "Note"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.TextInput,
        help_text=_("Where the figure comes from, or anything a reader should know."),
    )

    @staticmethod
    def initial_at(now: dt.datetime) -> dict:
        return {"measured_at": timezone.localtime(now).replace(second=0, microsecond=0)}
