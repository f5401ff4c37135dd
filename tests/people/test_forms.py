"""A select naming everyone is drawn once and kept (people/forms.py): what it shows is Django's
own select, with the value given, and a person added shows at once."""

import pytest
from django import forms

from people.forms import PersonSelect
from people.models import Role, User
from people.services import user_create

pytestmark = pytest.mark.django_db


def owner_form(widget, **kwargs):
    class OwnerForm(forms.Form):
        owner = forms.ModelChoiceField(
            queryset=User.objects.filter(is_active=True).order_by("username"), widget=widget
        )

    return OwnerForm(**kwargs)


def test_it_shows_what_django_s_own_select_shows_with_the_value_given(make_user):
    people = [make_user(Role.RISK_OFFICER, username=name) for name in ("ana", "bo", "cy")]
    values = (
        {},
        {"initial": {"owner": people[1].pk}},
        {"data": {"owner": people[2].pk}},
        {"data": {"owner": "<x>"}},
    )
    for kwargs in values:
        kept, drawn = (
            str(owner_form(PersonSelect, **kwargs)["owner"]),
            str(owner_form(forms.Select, **kwargs)["owner"]),
        )
        assert kept == drawn and 'name="owner"' in kept
        assert str(owner_form(PersonSelect, **kwargs)["owner"]) == drawn  # given kept
    assert f'<option value="{people[1].pk}" selected>bo</option>' in str(
        owner_form(PersonSelect, initial={"owner": people[1].pk})["owner"]
    )


def test_a_person_added_shows_at_once(make_user):
    officer = make_user(Role.RISK_OFFICER, username="ana")
    assert ">dee<" not in str(owner_form(PersonSelect)["owner"])
    user_create(by=officer, username="dee", password="A long enough passphrase 42", role=Role.RESPONDER)
    assert ">dee<" in str(owner_form(PersonSelect)["owner"])


def test_one_list_is_drawn_for_every_owner(make_user, monkeypatch):
    people = [make_user(Role.RISK_OFFICER, username=name) for name in ("ana", "bo", "cy")]
    drawn = []
    draw = forms.Select.render
    monkeypatch.setattr(
        forms.Select, "render", lambda *args, **kwargs: drawn.append(1) or draw(*args, **kwargs)
    )
    for person in people:
        assert f'value="{person.pk}" selected>' in str(
            owner_form(PersonSelect, initial={"owner": person.pk})["owner"]
        )
    assert len(drawn) == 1
