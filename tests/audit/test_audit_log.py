"""The audit log: who changed what in the register, playbooks, users and teams, and when;
append-only, readable by administrators only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AppendOnly, AuditEntry
from people.models import Role
from people.services import team_create
from playbooks.services import playbook_create, playbook_publish, playbook_update
from tests.factories import PASSWORD, three_tier_spec

pytestmark = pytest.mark.django_db


def entries(object_type, object_id=None):
    found = AuditEntry.objects.filter(object_type=object_type).order_by("id")
    return list(found if object_id is None else found.filter(object_id=str(object_id)))


def test_a_risk_created_and_rerated_through_the_api_is_logged_with_actor_and_before_after(
    api, risk_officer, matrix
):
    client = api.as_user(risk_officer)
    created = client.post(
        "/api/v1/risks/",
        {
            "title": "主供应商停产",
            "category": "supply-chain",
            "owner": risk_officer.id,
            "likelihood": 3,
            "impact": 4,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    risk_id = created.json()["id"]
    client.patch(f"/api/v1/risks/{risk_id}/", {"likelihood": 1, "reason": "Second supplier"}, format="json")

    creation, change = entries("risks.risk", risk_id)
    assert (creation.action, creation.actor, creation.actor_name) == (
        "created",
        risk_officer,
        risk_officer.username,
    )
    assert creation.before is None and creation.after["title"] == "主供应商停产"
    assert change.action == "updated" and change.actor == risk_officer
    assert change.before["likelihood"] == 3 and change.after["likelihood"] == 1
    assert "title" not in change.after, "only the fields that changed"
    assert creation.at <= change.at


def test_an_import_logs_every_risk_it_creates(api, risk_officer, matrix):
    content = (
        "title,category,owner,likelihood,impact\nFlood,supply-chain,{0},2,3\nFire,supply-chain,{0},4,4\n"
    )
    upload = SimpleUploadedFile("register.csv", content.format(risk_officer.username).encode())
    response = api.as_user(risk_officer).post("/api/v1/risks/import/", {"file": upload}, format="multipart")
    assert response.status_code in (200, 201), response.json()
    logged = entries("risks.risk")
    assert sorted(entry.after["title"] for entry in logged) == ["Fire", "Flood"]
    assert {(entry.action, entry.actor_id) for entry in logged} == {("created", risk_officer.id)}


def test_a_category_changed_in_the_admin_is_logged_with_the_admin_as_actor(operator, matrix):
    from risks.models import Category

    category = Category.objects.get(key="supply-chain")
    browser = Client()
    browser.force_login(operator)
    form = {
        "key": category.key,
        "label_en": "Suppliers",
        "label_zh": category.label_zh,
        "position": 1,
        "active": "on",
    }
    response = browser.post(f"/admin/risks/category/{category.pk}/change/", form)
    assert response.status_code == 302
    [entry] = entries("risks.category", category.pk)
    assert entry.actor == operator and entry.before == {
        "label_en": category.label_en,
        "position": category.position,
    }
    assert entry.after == {"label_en": "Suppliers", "position": 1}


def test_playbook_versions_are_logged_with_their_whole_plan(cast):
    officer = cast["officer"]
    draft = playbook_create(spec=three_tier_spec(cast), created_by=officer)
    published = playbook_publish(playbook=draft, by=officer)
    next_draft = playbook_update(
        playbook=published, spec={"name": "Supply-chain break v2"}, by=officer, partial=True
    )

    created, publication = entries("playbooks.playbook", draft.pk)
    assert created.action == "created" and created.actor == officer
    assert [step["title"] for step in created.after["steps"]][0] == "Switch to the backup-supplier pool"
    assert (publication.action, publication.before, publication.after) == (
        "published",
        {"status": "draft"},
        {"status": "published"},
    )
    [new_version] = entries("playbooks.playbook", next_draft.pk)
    assert new_version.action == "created" and new_version.after["name"] == "Supply-chain break v2"


def test_users_and_teams_changed_by_an_admin_are_logged_without_secrets(api, admin, team):
    client = api.as_user(admin)
    created = client.post(
        "/api/v1/users/",
        {
            "username": "counsel",
            "password": PASSWORD,
            "email": "c@example.com",
            "role": "responder",
            "teams": [],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    user_id = created.json()["id"]
    assert (
        client.post(f"/api/v1/teams/{team.pk}/members/", {"user": user_id}, format="json").status_code == 201
    )
    assert client.patch(f"/api/v1/teams/{team.pk}/", {"name": "Suppliers"}, format="json").status_code == 200

    [user_created] = entries("people.user", user_id)
    assert user_created.actor == admin and user_created.after["role"] == "responder"
    assert user_created.after["password"] == "(hidden)"
    assert PASSWORD not in str(user_created.after)
    [membership] = entries("people.membership")
    assert membership.actor == admin
    assert (membership.after["team_id"], membership.after["user_id"]) == (team.pk, user_id)
    *_created, renamed = entries("people.team", team.pk)
    assert (renamed.before, renamed.after) == ({"name": "Supply chain"}, {"name": "Suppliers"})


def test_signing_in_writes_no_audit_entry(make_user):
    person = make_user(Role.RESPONDER)
    before = AuditEntry.objects.count()
    signed_in = Client().post("/login/", {"username": person.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert AuditEntry.objects.count() == before


def test_a_password_change_is_logged_as_hidden(make_user, operator):
    person = make_user(Role.RESPONDER)
    browser = Client()
    browser.force_login(operator)
    form = {"password1": "Another-Horse-43", "password2": "Another-Horse-43", "usable_password": "true"}
    assert browser.post(f"/admin/people/user/{person.pk}/password/", form).status_code == 302
    [change] = entries("people.user", person.pk)[1:]
    assert (change.actor, change.before, change.after) == (
        operator,
        {"password": "(hidden)"},
        {"password": "(hidden)"},
    )


def test_entries_are_never_changed_or_deleted(admin, team):
    team_create(by=admin, slug="legal", name="Legal")
    entry = AuditEntry.objects.get(object_type="people.team", after__slug="legal")
    entry.object_repr = "something else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="deleted")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.object_repr != "something else" and AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_site_shows_entries_but_cannot_add_change_or_delete_them(operator, team):
    team_create(by=operator, slug="legal", name="Legal")
    entry = AuditEntry.objects.latest("id")
    browser = Client()
    browser.force_login(operator)
    listing = browser.get("/admin/audit/auditentry/")
    assert listing.status_code == 200 and "Legal" in listing.content.decode()
    assert browser.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200  # a read-only view
    assert (
        browser.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "deleted"}).status_code == 403
    )
    assert browser.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert browser.get("/admin/audit/auditentry/add/").status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "created"


def test_the_api_lists_entries_newest_first_and_filters_them(api, admin, team):
    team_create(by=admin, slug="legal", name="Legal")
    team_create(by=admin, slug="pr", name="PR")
    client = api.as_user(admin)
    body = client.get("/api/v1/audit-log/?object_type=people.team").json()
    assert [row["object_repr"] for row in body["results"]][:2] == ["PR", "Legal"]
    assert set(body["results"][0]) == {
        "id",
        "at",
        "actor",
        "actor_name",
        "object_type",
        "object_id",
        "object_repr",
        "action",
        "before",
        "after",
    }
    assert client.get("/api/v1/audit-log/?actor=nobody").status_code == 400
