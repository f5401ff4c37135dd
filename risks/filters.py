"""The register's filters, read from a query string by the API and the pages alike."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filtering import NamedChoiceField, allowed_values_message
from core.limits import INT_MAX
from people.selectors import people_active
from risks.models import AcceptanceState, Category, Level, RiskStatus
from risks.selectors import NOT_RATED, ORDERINGS, RegisterFilters

ANY = [("", "—")]
# Awaiting approval, in force, or lapsed with the treatment still to be decided again.
ACCEPTANCE = ANY + [
    (AcceptanceState.REQUESTED, AcceptanceState.REQUESTED.label),
    (AcceptanceState.APPROVED, AcceptanceState.APPROVED.label),
    (AcceptanceState.LAPSED, _("Lapsed: treatment to be decided")),
]

LEVELS = ANY + Level.choices + [(NOT_RATED, _("Not rated"))]


class CategoryChoiceField(forms.ModelChoiceField):
    """A category by its key; an unknown key's error names the known ones."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            keys = self.queryset.order_by("key").values_list("key", flat=True)
            raise forms.ValidationError(allowed_values_message(keys), code="invalid_choice") from None


class RegisterFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=200)
    level = NamedChoiceField(label=_("Level"), choices=LEVELS, required=False)
    residual_level = NamedChoiceField(label=_("Residual level"), choices=LEVELS, required=False)
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="key",
        required=False,
        empty_label="—",
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=people_active().order_by("username"),
        required=False,
        empty_label="—",
    )
    status = NamedChoiceField(label=_("Status"), choices=ANY + RiskStatus.choices, required=False)
    review_overdue = forms.BooleanField(label=_("Review overdue"), required=False)
    above_appetite = forms.BooleanField(label=_("Above appetite"), required=False)
    acceptance = NamedChoiceField(label=_("Acceptance"), choices=ACCEPTANCE, required=False)
    rating = NamedChoiceField(
        choices=[("inherent", _("Inherent")), ("residual", _("Residual"))], required=False
    )
    likelihood = forms.IntegerField(min_value=1, max_value=INT_MAX, required=False)
    impact = forms.IntegerField(min_value=1, max_value=INT_MAX, required=False)
    ordering = NamedChoiceField(
        label=_("Order by"),
        choices=[(key, key) for name in ORDERINGS for key in (name, f"-{name}")],
        required=False,
    )

    def register_filters(self) -> RegisterFilters:
        data = self.cleaned_data
        return RegisterFilters(
            search=data["search"],
            level=data["level"],
            residual_level=data["residual_level"],
            category=data["category"].key if data["category"] else "",
            owner=data["owner"].pk if data["owner"] else None,
            status=data["status"],
            review_overdue=data["review_overdue"],
            above_appetite=data["above_appetite"],
            acceptance=data["acceptance"],
            rating=data["rating"] or "inherent",
            likelihood=data["likelihood"],
            impact=data["impact"],
            ordering=data["ordering"] or "ref",
        )
