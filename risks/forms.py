"""The forms of the register's pages (the API has its serializers)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.limits import BIGINT_MAX, MAX_DURATION, TEXT_MAX_LENGTH, BoundedFormDateTimeField
from people.forms import PersonSelect
from people.selectors import people_active
from playbooks.models import Playbook
from risks.models import (
    ActionStatus,
    Category,
    LookedAt,
    ReviewOutcome,
    Risk,
    RiskMatrix,
    Source,
    Treatment,
    in_current_language,
)
from risks.scoring import RATING_FIELDS


def scale_choices(scale: list[dict], blank: bool) -> list[tuple]:
    choices = [
        (step["value"], f"{step['value']} · {in_current_language(step['label_en'], step['label_zh'])}")
        for step in scale
    ]
    return [("", "—")] + choices if blank else choices


def rating_field(label) -> forms.TypedChoiceField:
    """A step of a matrix scale; empty means "not rated" (new) or "no change" (a review)."""
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None)


def _people():
    return people_active().order_by("username")


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    cause = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("Cause"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    event = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("Event"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    consequence = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Consequence"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True))
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_people(), widget=PersonSelect)
    likelihood = rating_field(_("Inherent likelihood"))
    impact = rating_field(_("Inherent impact"))
    residual_likelihood = rating_field(_("Residual likelihood"))
    residual_impact = rating_field(_("Residual impact"))
    target_likelihood = rating_field(_("Target likelihood"))
    target_impact = rating_field(_("Target impact"))
    treatment = forms.ChoiceField(label=_("Treatment"), choices=Treatment.choices)
    playbook = forms.ModelChoiceField(label=_("Playbook"), queryset=Playbook.objects.all(), required=False)
    review_interval_days = forms.IntegerField(
        label=_("Review interval (days)"),
        min_value=1,
        max_value=MAX_DURATION.days,
        required=False,
        help_text=_("Empty: the interval of the residual level."),
    )
    next_review_at = BoundedFormDateTimeField(
        label=_("Next review"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: derived from the level's review interval."),
    )
    reason = forms.CharField(
        label=_("Reason for a change of ratings"),
        max_length=2000,
        required=False,
        widget=forms.TextInput,
        help_text=_("Required when a rating changes; kept in the risk's history as written."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=BIGINT_MAX)

    def __init__(self, *args, matrix: RiskMatrix, rated: bool = False, **kwargs):
        """`rated`: the risk edited has ratings, which can change but not be emptied."""
        super().__init__(*args, **kwargs)
        for name in RATING_FIELDS:
            if rated and not name.startswith("target"):
                self.fields[name].required = True
            scale = matrix.impact if name.endswith("impact") else matrix.likelihood
            self.fields[name].choices = scale_choices(scale, blank=not self.fields[name].required)

    def clean(self):
        data = super().clean()
        if (data.get("target_likelihood") is None) != (data.get("target_impact") is None):
            self.add_error("target_impact", _("Give the target likelihood and impact together."))
        return data

    @staticmethod
    def initial_for(risk: Risk) -> dict:
        initial = {name: getattr(risk, name) for name in RiskForm.base_fields if hasattr(risk, name)}
        initial.update(category=risk.category_id, owner=risk.owner_id, playbook=risk.playbook_id, reason="")
        return initial


class ReviewForm(forms.Form):
    """A periodic review; what it must hold is checked by the service, so every path says the same."""

    looked_at = forms.MultipleChoiceField(
        label=_("Looked at"), choices=LookedAt.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    notes = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Required: what the review found. It is the reason of any change of ratings."),
    )
    likelihood = rating_field(_("Inherent likelihood"))
    impact = rating_field(_("Inherent impact"))
    residual_likelihood = rating_field(_("Residual likelihood"))
    residual_impact = rating_field(_("Residual impact"))
    next_review_at = BoundedFormDateTimeField(
        label=_("Next review"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty: the interval of the risk's level from now."),
    )

    RATINGS = ["likelihood", "impact", "residual_likelihood", "residual_impact"]

    def __init__(self, *args, risk: Risk, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.RATINGS:
            scale = risk.matrix.impact if name.endswith("impact") else risk.matrix.likelihood
            self.fields[name].choices = scale_choices(scale, blank=True)
            self.fields[name].help_text = _("Now: %(value)s") % {"value": getattr(risk, name) or "—"}

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["ratings"] = {name: data.pop(name) for name in self.RATINGS}
        return data


class OnRiskPage(forms.Form):
    """A form posted from a risk's page, which is given the risk (and needs nothing of it)."""

    def __init__(self, *args, risk: Risk | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class ActionForm(OnRiskPage):
    title = forms.CharField(label=pgettext_lazy("treatment action", "Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_people(), widget=PersonSelect)
    due_at = BoundedFormDateTimeField(
        label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Preview only (dry run)"), required=False, initial=True)


def free_text(label, *, rows: int = 2, help_text="") -> forms.CharField:
    """A text a person writes, checked by the service (so that every path says the same)."""
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class AcceptanceForm(OnRiskPage):
    """Asking for a risk to be accepted; what makes sense is checked by the service."""

    justification = free_text(
        _("Justification"), rows=3, help_text=_("Why the risk can be accepted as it is.")
    )
    conditions = free_text(_("Conditions"), help_text=_("What must stay true while it is accepted."))
    expires_at = forms.DateField(
        label=_("Accepted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "At most a year. It lapses at the end of this day, or sooner if a key risk indicator of the "
            "risk goes red or an incident is declared for it."
        ),
    )

    def service_arguments(self) -> dict:
        """The acceptance ends at the last minute of the day chosen, in the asker's time zone."""
        data = dict(self.cleaned_data)
        if data["expires_at"] is not None:
            last_minute = dt.datetime.combine(data["expires_at"], dt.time(23, 59))
            data["expires_at"] = timezone.make_aware(last_minute)
        return data


class AcceptanceDecisionForm(OnRiskPage):
    note = free_text(_("Note"))


class AppetiteForm(forms.Form):
    """A category's appetite: a level (empty: the matrix's) and, optionally, the highest score."""

    category = forms.ModelChoiceField(queryset=Category.objects.filter(active=True), to_field_name="key")
    appetite = forms.ChoiceField(label=_("Highest level accepted"), required=False)
    appetite_score = forms.IntegerField(
        label=_("Highest score accepted"), required=False, min_value=1, max_value=32767
    )

    def __init__(self, *args, matrix: RiskMatrix, **kwargs):
        super().__init__(*args, **kwargs)
        matrix_level = in_current_language(**_labels(matrix.level(matrix.appetite)))
        self.fields["appetite"].choices = [("", _("As the matrix: %(level)s") % {"level": matrix_level})] + [
            (level["key"], in_current_language(**_labels(level))) for level in matrix.levels
        ]


def _labels(level: dict) -> dict:
    return {"english": level["label_en"], "chinese": level["label_zh"]}
