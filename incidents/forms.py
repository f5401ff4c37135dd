"""Forms of the incident pages. They only read the input; the services judge it."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.limits import TEXT_MAX_LENGTH, BoundedFormDateTimeField
from incidents import page_queries
from people.models import Team, User

SEVERITIES = [
    (1, _("SEV1 — critical")),
    (2, _("SEV2 — major")),
    (3, _("SEV3 — moderate")),
    (4, _("SEV4 — minor")),
]


class DeclareForm(forms.Form):
    """Empty values reach the service, whose field-level errors are shown next to the fields."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[("", "—"), *SEVERITIES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    playbook = forms.ModelChoiceField(
        label=_("Playbook"),
        queryset=page_queries.published_playbooks(),
        required=False,
        help_text=_("Published playbooks only; the incident keeps this version."),
    )
    commander = forms.ModelChoiceField(
        label=_("Commander"), queryset=page_queries.active_people(), required=False
    )
    risks = forms.ModelMultipleChoiceField(
        label=_("Linked risks"),
        queryset=page_queries.open_risks(),
        required=False,
        help_text=_("The register's risks that this incident is: their pages list it."),
    )
    drill = forms.BooleanField(
        label=_("This is a drill"),
        required=False,
        help_text=_("An exercise: marked as a drill everywhere, and its clock may run faster."),
    )
    clock_rate = forms.IntegerField(
        label=_("Clock rate"),
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": 3600}),
        help_text=_(
            "Only for drills: every playbook offset is divided by it (60 = one hour of plan per minute). "
            "A real incident runs at 1."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["risks"].queryset.exists():
            del self.fields["risks"]  # an empty register: nothing to link

    def declaration(self) -> dict:
        """The keyword arguments of `incident_declare`, from the cleaned data."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "severity": data["severity"],
            "playbook_id": data["playbook"].pk if data["playbook"] else None,
            "commander": data["commander"],
            "risks": list(data.get("risks", [])),
            "drill": data["drill"],
            "clock_rate": data["clock_rate"] if data["clock_rate"] is not None else 1,
        }


class PartyField(forms.CharField):
    """A team, a team's on-call person or a person, written "team:<id>", "oncall:<team id>" or
    "user:<id>"; blank means no change."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        kind, _sep, pk = value.partition(":")
        model = {"team": Team, "oncall": Team, "user": User}.get(kind)
        found = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
        if found is None or (kind == "user" and not found.is_active):
            raise ValidationError(_("Choose a team or an active person from the list."))
        return {"team": found, "on_call": True} if kind == "oncall" else {kind: found}


class ReassignForm(forms.Form):
    responsible = PartyField(label=_("New Responsible"), required=False)
    accountable = PartyField(label=_("New Accountable"), required=False)
    due_at = BoundedFormDateTimeField(label=_("New due time"), required=False)
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Reason"), required=False)

    def reassignment(self) -> dict:
        """The keyword arguments of `task_reassign`: only what was given changes."""
        data = self.cleaned_data
        return {
            "responsible": [data["responsible"]] if data["responsible"] else None,
            "accountable": data["accountable"],
            "due_at": data["due_at"],
            "reason": data["reason"],
        }


class AddTaskForm(forms.Form):
    """A task added during the incident; due and escalation delays in plan minutes."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    responsible = PartyField(label=_("Responsible"), required=False)
    accountable = PartyField(label=_("Accountable"), required=False)
    due_in = forms.IntegerField(label=_("Due in (minutes)"), min_value=1, required=False)
    escalate_after = forms.IntegerField(label=_("Escalate every (minutes)"), min_value=1, required=False)

    def task(self) -> dict:
        """The keyword arguments of `task_add`; what is missing reaches the service, which says so."""
        data = self.cleaned_data
        minutes = dt.timedelta(minutes=1)
        return {
            "title": data["title"],
            "responsible": [data["responsible"]] if data["responsible"] else [],
            "accountable": data["accountable"],
            "due_after": data["due_in"] * minutes if data["due_in"] else dt.timedelta(0),
            "escalate_after": data["escalate_after"] * minutes if data["escalate_after"] else None,
        }


class StatusUpdateForm(forms.Form):
    what_happened = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea)
    impact = forms.CharField(label=_("Impact"), required=False, widget=forms.Textarea)
    actions = forms.CharField(label=_("What is being done"), required=False, widget=forms.Textarea)
    needs = forms.CharField(label=_("What is needed"), required=False, widget=forms.Textarea)
    next_update_at = forms.DateTimeField(label=_("Next update at"), required=False)
    body = forms.CharField(required=False, widget=forms.Textarea)

    def update(self) -> dict:
        """The keyword arguments of `incident_post_update`."""
        return dict(self.cleaned_data)
