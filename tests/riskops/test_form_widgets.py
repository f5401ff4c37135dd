"""The project's widget templates (templates/django/forms/widgets/) write what Django's own do (the
same markup; only line breaks between tags differ, which a browser does not show), by fewer
templates: every form on every page goes through them."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.utils.safestring import mark_safe

CHOICES = [("", "—"), (1, "Low <1>"), (2, 'High "2"'), ("Group & co", [("a", "A"), ("b", "B")])]


class Everything(forms.Form):
    text = forms.CharField(
        widget=forms.TextInput(
            attrs={"class": "wide", "autofocus": True, "hidden": False, "title": 'a "b" <c>'}
        )
    )
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": mark_safe("&amp;")}))
    level = forms.ChoiceField(choices=CHOICES)
    levels = forms.MultipleChoiceField(choices=CHOICES, widget=forms.SelectMultiple)
    looked_at = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    outcome = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect(attrs={"class": "inline"}))
    agree = forms.BooleanField()
    number = forms.IntegerField()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": 'a "quoted" <b>',
            "when": "2026-11-30T08:00",
            "notes": "line\n<script>",
            "level": "2",
            "levels": ["1", "b"],
            "looked_at": ["a", "2"],
            "outcome": "b",
            "agree": "on",
            "number": "x",
        },
    ],
)
def test_each_widget_is_written_as_djangos_own_writes_it(data):
    ours, djangos = Everything(data), Everything(data, renderer=DjangoTemplates())
    for field in ours:
        assert shown(str(field)) == shown(str(djangos[field.name])), field.name


def shown(html: str) -> str:
    """The markup as a browser lays it out: a run of white space is one space, none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


def test_the_project_renders_forms_through_its_own_templates():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), TemplatesSetting)
