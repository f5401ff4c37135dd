"""Each audited write records its one entry through audit.recording, by the service or admin
page that makes it, with the acting person: no model signal writes entries behind its back."""

import weakref

import pytest
from django.db.models.signals import post_delete, post_save, pre_save
from django.test import Client

from audit.models import AuditEntry
from indicators import services as indicators
from notifications.services import preference_set, preferences_set_all
from people.models import Membership, Role

pytestmark = pytest.mark.django_db


def entries(object_type, object_id=None):
    found = AuditEntry.objects.filter(object_type=object_type).order_by("id")
    return list(found if object_id is None else found.filter(object_id=str(object_id)))


def test_no_model_signal_of_the_audit_app_remains():
    for signal in (pre_save, post_save, post_delete):
        receivers = [
            ref() if isinstance(ref, weakref.ReferenceType) else ref for _key, ref, *_ in signal.receivers
        ]
        assert not [receiver for receiver in receivers if receiver.__module__.startswith("audit")]


def test_a_kri_created_and_changed_is_logged_with_its_actor_and_the_fields_that_changed(make_kri, officer):
    kri = make_kri()
    changed = indicators.kri_update(kri=kri, by=officer, changes={"amber": 75, "name": "Daily active users"})

    creation, change = entries("indicators.kri", kri.pk)
    assert (creation.action, creation.actor, creation.after["amber"]) == ("created", None, 80)
    assert (change.action, change.actor) == ("updated", officer)
    assert (change.before, change.after) == ({"amber": 80.0}, {"amber": 75.0})
    assert changed.amber == 75


def test_a_kri_created_through_the_api_is_logged_with_the_caller(api, officer, kri_owner, risk):
    response = api.as_user(officer).post(
        "/api/v1/kris/",
        {
            "name": "Churn",
            "owner": kri_owner.pk,
            "direction": "higher_is_worse",
            "amber": 5,
            "red": 8,
            "risks": [risk.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    [creation] = entries("indicators.kri", response.json()["id"])
    assert (creation.action, creation.actor, creation.after["name"]) == ("created", officer, "Churn")


def test_a_notification_preference_changed_is_logged_with_who_changed_it(make_user):
    person = make_user(Role.RESPONDER)
    first = preference_set(user=person, by=person, kind="task.opened", email=False)
    preference_set(user=person, by=person, kind="task.opened", webhook=False)
    preference_set(user=person, by=person, kind="task.opened", webhook=False)  # no change, no entry

    creation, change = entries("notifications.preference", first.pk)
    assert (creation.action, creation.actor, creation.after["email"]) == ("created", person, False)
    assert (change.action, change.actor) == ("updated", person)
    assert (change.before, change.after) == ({"webhook": True}, {"webhook": False})


def test_the_preferences_form_logs_only_the_kinds_it_changes(make_user):
    person = make_user(Role.RESPONDER)
    preference_set(user=person, by=person, kind="task.opened")
    preference_set(user=person, by=person, kind="tier.started")
    before = AuditEntry.objects.count()
    preferences_set_all(user=person, by=person, email_kinds={"tier.started"}, webhook_kinds=set())
    logged = AuditEntry.objects.filter(pk__gt=0).order_by("id")[before:]
    changes = {(entry.object_repr, entry.action) for entry in logged if entry.action == "updated"}
    assert len(changes) == 2 and all(entry.actor == person for entry in logged)


def test_a_team_and_its_members_changed_in_the_admin_are_logged_with_the_admin_as_actor(
    operator, team, make_user
):
    member = make_user(Role.RESPONDER)
    browser = Client()
    browser.force_login(operator)
    form = {
        "name": "Suppliers",
        "slug": team.slug,
        "escalation_contact": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": member.pk,
        "memberships-0-team": team.pk,
    }
    response = browser.post(f"/admin/people/team/{team.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]

    [renamed] = entries("people.team", team.pk)
    assert (renamed.actor, renamed.before, renamed.after) == (
        operator,
        {"name": "Supply chain"},
        {"name": "Suppliers"},
    )
    membership = Membership.objects.get(team=team, user=member)
    [joined] = entries("people.membership", membership.pk)
    assert (joined.action, joined.actor, joined.after["user_id"]) == ("created", operator, member.pk)


def test_a_team_deleted_in_the_admin_is_logged_with_the_admin_as_actor(operator, team):
    browser = Client()
    browser.force_login(operator)
    assert browser.post(f"/admin/people/team/{team.pk}/delete/", {"post": "yes"}).status_code == 302
    [deleted] = entries("people.team", team.pk)
    assert (deleted.action, deleted.actor, deleted.before["name"], deleted.after) == (
        "deleted",
        operator,
        "Supply chain",
        None,
    )
