"""Versions: draft → published → retired; published and retired versions never change."""

import threading

import pytest
from django.db import connection

from core.errors import Conflict, InvalidTransition
from playbooks import selectors
from playbooks.exchange import playbook_export
from playbooks.models import Playbook, PlaybookStatus
from playbooks.services import playbook_create, playbook_publish, playbook_retire, playbook_update
from playbooks.validation import InvalidPlaybook

pytestmark = pytest.mark.django_db


def snapshot(playbook):
    return playbook_export(selectors.playbook_get(playbook_id=playbook.pk))


def test_a_draft_is_edited_in_place(spec, risk_officer):
    draft = playbook_create(spec=spec(), created_by=risk_officer)
    changed = spec()
    changed["name"] = "Supply-chain break (v1, revised)"
    edited = playbook_update(playbook=draft, spec=changed, by=risk_officer)
    assert edited.pk == draft.pk
    assert (edited.version, edited.status) == (1, PlaybookStatus.DRAFT)
    assert Playbook.objects.count() == 1
    assert selectors.playbook_get(playbook_id=draft.pk).name == "Supply-chain break (v1, revised)"


def test_editing_a_published_version_makes_a_new_draft_and_leaves_it_alone(spec, risk_officer):
    published = playbook_publish(
        playbook=playbook_create(spec=spec(), created_by=risk_officer), by=risk_officer
    )
    before = snapshot(published)
    changed = spec()
    changed["steps"][0]["title"] = "Call the backup suppliers"
    draft = playbook_update(playbook=published, spec=changed, by=risk_officer)
    assert draft.pk != published.pk
    assert (draft.lineage, draft.version, draft.status, draft.based_on_id) == (
        published.lineage,
        2,
        PlaybookStatus.DRAFT,
        published.pk,
    )
    assert snapshot(published) == before
    published.refresh_from_db()
    assert published.status == PlaybookStatus.PUBLISHED
    assert selectors.playbook_current_published(lineage=published.lineage).pk == published.pk

    # A second edit of the published version while a draft exists is refused.
    with pytest.raises(Conflict):
        playbook_update(playbook=published, spec=changed, by=risk_officer)
    assert Playbook.objects.count() == 2

    # Publishing the draft retires the old version: one published version per lineage.
    playbook_publish(playbook=draft, by=risk_officer)
    published.refresh_from_db()
    assert published.status == PlaybookStatus.RETIRED
    assert selectors.playbook_current_published(lineage=published.lineage).pk == draft.pk
    assert snapshot(published) == before


def test_a_partial_edit_keeps_what_it_leaves_out(spec, risk_officer):
    draft = playbook_create(spec=spec(), created_by=risk_officer)
    playbook_update(playbook=draft, spec={"description": "Shorter."}, by=risk_officer, partial=True)
    reloaded = selectors.playbook_get(playbook_id=draft.pk)
    assert reloaded.description == "Shorter."
    assert reloaded.steps.count() == 2


@pytest.mark.parametrize("status", [PlaybookStatus.PUBLISHED, PlaybookStatus.RETIRED])
def test_published_and_retired_versions_cannot_be_published_again(spec, risk_officer, status):
    playbook = playbook_create(spec=spec(), created_by=risk_officer)
    playbook_publish(playbook=playbook, by=risk_officer)
    if status == PlaybookStatus.RETIRED:
        playbook_retire(playbook=playbook, by=risk_officer)
    with pytest.raises(InvalidTransition):
        playbook_publish(playbook=playbook, by=risk_officer)
    playbook.refresh_from_db()
    assert playbook.status == status


def test_a_retired_version_cannot_be_retired_twice(spec, risk_officer):
    playbook = playbook_retire(
        playbook=playbook_create(spec=spec(), created_by=risk_officer), by=risk_officer
    )
    with pytest.raises(InvalidTransition):
        playbook_retire(playbook=playbook, by=risk_officer)


def test_publishing_needs_a_step_and_people_still_active(spec, risk_officer, lead):
    empty = spec()
    empty["steps"] = []
    draft = playbook_create(spec=empty, created_by=risk_officer)
    with pytest.raises(InvalidPlaybook) as caught:
        playbook_publish(playbook=draft, by=risk_officer)
    assert caught.value.detail == {"steps": ["A playbook needs at least one step before it is published."]}

    draft = playbook_create(spec=spec(), created_by=risk_officer)
    lead.is_active = False
    lead.save()
    with pytest.raises(InvalidPlaybook):
        playbook_publish(playbook=draft, by=risk_officer)
    draft.refresh_from_db()
    assert draft.status == PlaybookStatus.DRAFT


def test_the_engine_gets_only_published_versions_in_constant_queries(
    spec, risk_officer, django_assert_num_queries
):
    draft = playbook_create(spec=spec(), created_by=risk_officer)
    with pytest.raises(Playbook.DoesNotExist):
        selectors.playbook_get_published(playbook_id=draft.pk)
    playbook_publish(playbook=draft, by=risk_officer)
    with django_assert_num_queries(4):
        playbook = selectors.playbook_get_published(playbook_id=draft.pk)
        for step in playbook.steps.all():
            assert step.tier.key
            for assignment in step.raci.all():
                assert str(assignment.team or assignment.user)


@pytest.mark.django_db(transaction=True)
def test_two_people_editing_the_published_version_at_once_make_one_draft(spec, risk_officer):
    published = playbook_publish(
        playbook=playbook_create(spec=spec(), created_by=risk_officer), by=risk_officer
    )
    outcomes = []
    start = threading.Barrier(2)

    def edit():
        start.wait()
        try:
            outcomes.append(playbook_update(playbook=published, spec=spec(), by=risk_officer).version)
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == [2, "conflict"]
    assert Playbook.objects.filter(lineage=published.lineage, status=PlaybookStatus.DRAFT).count() == 1
