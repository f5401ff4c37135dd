"""The setup forms of the on-call pages: a team's schedule, a layer of it, an override. They check
what a person typed; the services check the rest and say which field is at fault."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from oncall.models import ShiftUnit, WorkingCalendar
from people.selectors import people_active

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
# How many people a layer's form offers to take turns, in order.
ROTATION_SLOTS = 6


def _people_choices() -> list[tuple[str, str]]:
    return [("", _("— nobody —"))] + [
        (str(person.pk), f"{person} ({person.username})")
        for person in people_active().order_by("first_name", "last_name", "username")
    ]


class ScheduleForm(forms.Form):
    team = forms.ModelChoiceField(queryset=None, label=_("Team"), empty_label=_("— choose one —"))
    name = forms.CharField(label=_("Name"), max_length=200)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="Asia/Shanghai")
    working_calendar = forms.ChoiceField(
        label=_("Working days"), choices=WorkingCalendar.choices, initial=WorkingCalendar.WEEKDAYS
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"].strip()
        if zone not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("Not a time zone: write it as Asia/Shanghai or Europe/London."))
        return zone


class LayerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    priority = forms.IntegerField(
        label=_("Priority"), min_value=1, help_text=_("Where layers overlap, the higher priority wins.")
    )
    start_date = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    handoff_time = forms.TimeField(
        label=_("Hand-off time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    shift_count = forms.IntegerField(label=_("Each shift lasts"), min_value=1, initial=1)
    shift_unit = forms.ChoiceField(label=_("Unit"), choices=ShiftUnit.choices, initial=ShiftUnit.DAYS)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Only on these days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day."),
    )
    covers_from = forms.TimeField(
        label=_("Covers from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    covers_until = forms.TimeField(
        label=_("Covers until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Earlier than “from”: a night layer, past midnight. Both empty: around the clock."),
    )
    working_days_only = forms.BooleanField(label=_("Working days only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _people_choices()
        for slot in range(1, ROTATION_SLOTS + 1):
            self.fields[f"person_{slot}"] = forms.ChoiceField(
                label=_("Turn %(n)d") % {"n": slot}, choices=choices, required=False
            )

    def rotation_fields(self) -> list:
        return [self[f"person_{slot}"] for slot in range(1, ROTATION_SLOTS + 1)]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"person_{slot}") for slot in range(1, ROTATION_SLOTS + 1)]
        chosen = [int(pk) for pk in chosen if pk]
        if not chosen:
            self.add_error("person_1", _("Name at least one person to take turns."))
        elif len(set(chosen)) != len(chosen):
            self.add_error("person_1", _("Each person takes one turn in a rotation."))
        if bool(cleaned.get("covers_from")) != bool(cleaned.get("covers_until")):
            self.add_error("covers_until", _("Give both times, or neither."))
        people = people_active().in_bulk(chosen)
        cleaned["people"] = [people[pk] for pk in chosen if pk in people]
        for slot in range(1, ROTATION_SLOTS + 1):
            cleaned.pop(f"person_{slot}", None)  # the service takes `people`, in order
        return cleaned


class OverrideForm(forms.Form):
    person = forms.ChoiceField(label=_("Who covers"))
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = _people_choices()[1:]

    def clean_person(self):
        person = people_active().filter(pk=self.cleaned_data["person"]).first()
        if person is None:
            raise forms.ValidationError(_("Choose an active person."))
        return person
