"""Forms of the review page. They read the input; the review services judge it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import TEXT_MAX_LENGTH, BoundedFormDateTimeField
from incidents import page_queries
from reviews.models import RatingDecision, RiskRating
from reviews.services.lifecycle import RATING_VALUES, TEXT_FIELDS
from risks.forms import scale_choices


def _text(label, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=label, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


class ReviewForm(forms.Form):
    """The texts and the pinned timeline entries (by seq); the five whys are read as a list."""

    summary = _text(_("Summary"), rows=3)
    root_cause = _text(_("Root cause"))
    what_worked = _text(_("What worked"))
    what_did_not = _text(_("What did not work"))
    pinned = forms.TypedMultipleChoiceField(
        label=_("Pinned timeline entries"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, timeline: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pinned"].choices = [(entry.seq, entry.seq) for entry in timeline]

    def changes(self, whys: list[str]) -> dict:
        """The `changes` of `review_update`."""
        data = self.cleaned_data
        return {
            **{field: data[field] for field in TEXT_FIELDS},
            "whys": [why.strip() for why in whys if why.strip()],
            "pinned": data["pinned"],
        }


class RatingForm(forms.Form):
    """What the review decides for one linked risk, on the scales of the risk's matrix."""

    decision = forms.ChoiceField(label=_("Decision"), choices=RatingDecision.choices, required=False)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int, empty_value=None, required=False)
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, empty_value=None, required=False)
    residual_likelihood = forms.TypedChoiceField(
        label=_("Residual likelihood"), coerce=int, empty_value=None, required=False
    )
    residual_impact = forms.TypedChoiceField(
        label=_("Residual impact"), coerce=int, empty_value=None, required=False
    )
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rating: RiskRating, **kwargs):
        initial = {field: getattr(rating, field) for field in ("decision", *RATING_VALUES, "note")}
        super().__init__(*args, prefix=f"risk-{rating.risk_id}", initial=initial, **kwargs)
        self.rating = rating
        matrix = rating.risk.matrix
        for field in RATING_VALUES:
            scale = matrix.impact if field.endswith("impact") else matrix.likelihood
            self.fields[field].choices = scale_choices(scale, blank=True)

    def change(self) -> dict:
        """One item of the `ratings` of `review_update`."""
        return {"risk": self.rating.risk_id, **self.cleaned_data}


class ApplyProposalForm(forms.Form):
    reason = _text(_("Why this re-rating should change the register"))


class ProposalForm(forms.Form):
    rationale = _text(_("Why the playbook should change"))
    playbook = forms.CharField(
        label=_("The playbook as it should be (YAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "The version the incident used, as a file: change what should be better. "
            "It becomes a new draft version; the diff shows what changed."
        ),
    )


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Follow-up action"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=page_queries.active_people())
    due_at = BoundedFormDateTimeField(
        label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


class WaiverForm(forms.Form):
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Why the review is waived"), required=False)
