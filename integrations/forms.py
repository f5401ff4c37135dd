"""The integration form and the maintenance window form of the pages."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import KRI
from integrations.models import Integration
from integrations.services import INTEGRATION_FIELDS
from people.selectors import people_active
from playbooks.models import Playbook, PlaybookStatus
from risks.models import Risk, RiskStatus

SEVERITIES = [(n, f"SEV{n}") for n in range(1, 5)]


class IntegrationForm(forms.ModelForm):
    severity = forms.TypedChoiceField(label=_("severity"), choices=SEVERITIES, coerce=int, initial=2)
    ping_every_minutes = forms.IntegerField(
        label=_("expected ping every (minutes)"),
        required=False,
        min_value=1,
        max_value=60 * 24 * 31,
        help_text=_("Heartbeats only: a period with no ping is recorded as a missed ping."),
    )

    class Meta:
        model = Integration
        fields = [*(name for name in INTEGRATION_FIELDS if name != "ping_every"), "risks"]
        help_texts = {
            "value_path": _("Generic JSON: where the number is, e.g. $.dau or $.data[0].value."),
            "time_path": _(
                "Generic JSON: when it was measured (ISO 8601 with offset, or seconds); empty: now."
            ),
            "key_path": _(
                "Generic JSON: what names one alert or delivery, e.g. $.job; a repeat is not news."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kri"].queryset = KRI.objects.order_by("name")
        self.fields["playbook"].queryset = Playbook.objects.filter(status=PlaybookStatus.PUBLISHED).order_by(
            "name"
        )
        self.fields["commander"].queryset = people_active().order_by("username")
        self.fields["risks"].queryset = Risk.objects.exclude(status=RiskStatus.ARCHIVED).order_by("number")
        self.fields["risks"].required = False
        if self.instance.pk and self.instance.ping_every:
            self.fields["ping_every_minutes"].initial = int(self.instance.ping_every.total_seconds() // 60)

    def values(self) -> dict:
        """What the services take: the form's fields, the ping period as a duration."""
        values = dict(self.cleaned_data)
        minutes = values.pop("ping_every_minutes")
        values["ping_every"] = dt.timedelta(minutes=minutes) if minutes else None
        values["risks"] = list(values["risks"])
        return values


class MaintenanceWindowForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("reason"), max_length=300)
