"""Accepting a risk: asked for with a sensible expiry, approved by someone with authority who did not
ask, and lapsing on its own, exactly once, when it expires, when its KRI goes red or when an
incident is declared for its risk; a lapse reopens the treatment decision and tells people."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from core.errors import InvalidTransition
from notifications.models import Notification
from people.models import Role
from risks import acceptances
from risks.models import Acceptance, Risk
from tests.factories import NOW, dau_playbook_spec, published_plan

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def ask(risk, by, **values):
    values.setdefault("justification", "Treating it would cost more than the loss it could bring.")
    values.setdefault("expires_at", NOW + 30 * DAY)
    return acceptances.acceptance_request(risk=risk, by=by, now=NOW, **values)


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_an_executive_approves_what_a_risk_officer_asked_for(make_risk, make_user):
    risk = make_risk()  # owned by "officer"
    asker = risk.owner
    ceo = make_user(Role.EXECUTIVE, username="ceo")
    make_user(Role.RISK_OFFICER, username="second-officer")
    make_user(Role.RESPONDER, username="responder")
    asked = ask(risk, asker, conditions="Backup supplier stays signed")
    assert (asked.state, asked.requested_by, asked.conditions) == (
        "requested",
        asker,
        "Backup supplier stays signed",
    )
    assert told("risk.acceptance_requested") == {"ceo", "second-officer"}  # the authorities, never the asker

    approved = acceptances.acceptance_approve(acceptance=asked, by=ceo, note="Within budget", now=NOW)
    risk.refresh_from_db()
    assert (approved.state, approved.decided_by, approved.decided_at) == ("approved", ceo, NOW)
    assert (risk.treatment, risk.treatment_reopened_at, risk.version) == ("accept", None, 2)
    assert told("risk.acceptance_approved") == {"officer"}  # the asker, who owns the risk
    entries = AuditEntry.objects.filter(object_type="risks.acceptance", object_id=str(asked.pk))
    assert list(entries.order_by("at", "id").values_list("action", "actor__username")) == [
        ("created", "officer"),
        ("updated", "ceo"),
    ]


def test_the_asker_and_people_without_authority_cannot_decide(make_risk, make_user):
    risk = make_risk()
    asked = ask(risk, risk.owner)
    for person in (risk.owner, make_user(Role.RESPONDER), make_user(Role.ADMIN)):
        with pytest.raises(PermissionDenied):
            acceptances.acceptance_approve(acceptance=asked, by=person, now=NOW)
        with pytest.raises(PermissionDenied):
            acceptances.acceptance_decline(acceptance=asked, by=person, note="No", now=NOW)
    asked.refresh_from_db()
    risk.refresh_from_db()
    assert (asked.state, asked.decided_by, risk.treatment) == ("requested", None, "mitigate")


def test_the_risk_owner_may_ask_but_a_stranger_may_not(make_risk, make_user):
    owner = make_user(Role.RESPONDER)
    risk = make_risk(owner=owner)
    with pytest.raises(PermissionDenied):
        ask(risk, make_user(Role.RESPONDER))
    assert ask(risk, owner).requested_by == owner


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"justification": "  "}, "justification"),
        ({"expires_at": None}, "expires_at"),
        ({"expires_at": NOW - DAY}, "expires_at"),
        ({"expires_at": NOW + 400 * DAY}, "expires_at"),
    ],
)
def test_an_acceptance_must_make_sense(make_risk, values, field):
    risk = make_risk()
    with pytest.raises(ValidationError) as refused:
        ask(risk, risk.owner, **values)
    assert list(refused.value.message_dict) == [field]
    assert not Acceptance.objects.exists()


def test_one_acceptance_at_a_time_and_only_for_an_open_risk(make_risk, make_user, accept):
    risk = make_risk()
    ceo = make_user(Role.EXECUTIVE)
    asked = ask(risk, risk.owner)
    with pytest.raises(InvalidTransition):
        ask(risk, risk.owner)
    acceptances.acceptance_approve(acceptance=asked, by=ceo, now=NOW)
    with pytest.raises(InvalidTransition):
        ask(risk, risk.owner)
    with pytest.raises(InvalidTransition):
        acceptances.acceptance_approve(acceptance=asked, by=ceo, now=NOW)  # decided already
    assert Acceptance.objects.count() == 1


def test_declining_needs_a_reason_and_leaves_the_treatment(make_risk, make_user):
    risk = make_risk()
    ceo = make_user(Role.EXECUTIVE, username="ceo")
    asked = ask(risk, risk.owner)
    with pytest.raises(ValidationError) as refused:
        acceptances.acceptance_decline(acceptance=asked, by=ceo, note=" ", now=NOW)
    assert list(refused.value.message_dict) == ["note"]
    declined = acceptances.acceptance_decline(acceptance=asked, by=ceo, note="Loss too large", now=NOW)
    risk.refresh_from_db()
    assert (declined.state, declined.decision_note, risk.treatment) == (
        "declined",
        "Loss too large",
        "mitigate",
    )
    assert told("risk.acceptance_declined") == {"officer"}
    assert ask(risk, risk.owner).state == "requested"  # asking again is allowed


def test_an_approval_after_the_expiry_is_refused(make_risk, make_user):
    risk = make_risk()
    asked = ask(risk, risk.owner, expires_at=NOW + DAY)
    with pytest.raises(InvalidTransition):
        acceptances.acceptance_approve(acceptance=asked, by=make_user(Role.EXECUTIVE), now=NOW + 2 * DAY)


def assert_lapsed(risk: Risk, cause: str, at: dt.datetime) -> Acceptance:
    acceptance = risk.acceptances.get()
    risk.refresh_from_db()
    assert (acceptance.state, acceptance.lapse_cause, acceptance.lapsed_at) == ("lapsed", cause, at)
    assert risk.treatment_reopened_at == at
    entries = AuditEntry.objects.filter(object_type="risks.acceptance", object_id=str(acceptance.pk))
    assert entries.filter(action="updated", actor=None).count() == 1  # the lapse, by nobody
    return acceptance


def test_an_acceptance_lapses_once_when_it_expires(make_risk, make_user, accept):
    risk = make_risk()
    ceo = make_user(Role.EXECUTIVE, username="ceo")
    accepted = accept(risk, asker=risk.owner, approver=ceo, until=NOW + 30 * DAY)
    assert acceptances.acceptances_lapse_expired(now=NOW + 29 * DAY) == 0
    assert acceptances.acceptances_lapse_expired(now=accepted.expires_at) == 1
    assert acceptances.acceptances_lapse_expired(now=accepted.expires_at + DAY) == 0
    lapsed = assert_lapsed(risk, "expired", accepted.expires_at)
    assert told("risk.acceptance_lapsed") == {"officer", "ceo"}  # the owner (who asked) and the approver
    assert Notification.objects.filter(kind="risk.acceptance_lapsed").count() == 2
    assert "expired" in str(lapsed.lapse_reason)
    # The treatment is decided again: a new treatment clears the flag; the record stays.
    from risks.services import risk_update

    risk_update(risk=risk, by=risk.owner, changes={"treatment": "mitigate"}, now=NOW + 31 * DAY)
    risk.refresh_from_db()
    assert (risk.treatment, risk.treatment_reopened_at) == ("mitigate", None)
    assert risk.acceptances.get().state == "lapsed"


def test_an_acceptance_lapses_when_its_kri_goes_red(make_kri, record, risk, officer, make_user, accept):
    ceo = make_user(Role.EXECUTIVE, username="ceo")
    accept(risk, asker=officer, approver=ceo)
    kri = make_kri(name="Daily active users", on_red="notify", unit="%")
    record(kri, 85, NOW + DAY, now=NOW + DAY)  # amber: still accepted
    assert risk.acceptances.get().state == "approved"
    record(kri, 95, NOW + 2 * DAY, now=NOW + 2 * DAY)
    lapsed = assert_lapsed(risk, "kri_red", NOW + 2 * DAY)
    assert lapsed.lapse_detail == {
        "kri": kri.pk,
        "name": "Daily active users",
        "name_zh": "",
        "value": 95,
        "unit": "%",
    }
    assert str(lapsed.lapse_reason) == "Daily active users went red: 95 %."
    assert told("risk.acceptance_lapsed") == {"risk-owner", "ceo", "officer"}
    record(kri, 97, NOW + 3 * DAY, now=NOW + 3 * DAY)  # still red: nothing more
    assert Notification.objects.filter(kind="risk.acceptance_lapsed").count() == 3


def test_a_red_kri_that_opens_an_incident_lapses_it_for_the_kri(
    make_kri, record, risk, officer, make_user, accept
):
    accept(risk, asker=officer, approver=make_user(Role.EXECUTIVE))
    kri = make_kri(on_red="open_incident")
    result = record(kri, 95, NOW + DAY, now=NOW + DAY)
    assert result.breach.incident is not None
    assert_lapsed(risk, "kri_red", NOW + DAY)


def test_an_incident_declared_for_the_risk_lapses_it_and_a_drill_does_not(cast, make_user, accept):
    from incidents import services as incidents
    from tests.factories import supplier_risk

    risk = supplier_risk(cast, 3, 4)
    accept(risk, asker=cast["officer"], approver=cast["ceo"])
    playbook = published_plan(dau_playbook_spec(cast["commander"]), cast["officer"])
    declare = {"severity": 2, "playbook_id": playbook.pk, "commander": cast["commander"], "risks": [risk]}
    incidents.incident_declare(
        title="Fire drill", declared_by=cast["officer"], drill=True, now=NOW + DAY, **declare
    )
    assert risk.acceptances.get().state == "approved"
    incident = incidents.incident_declare(
        title="Supplier plant fire", declared_by=cast["officer"], now=NOW + 2 * DAY, **declare
    )
    lapsed = assert_lapsed(risk, "incident", NOW + 2 * DAY)
    assert str(lapsed.lapse_reason) == f"Incident #{incident.pk} Supplier plant fire was declared."


def test_linking_the_risk_to_a_live_incident_lapses_it(cast, accept):
    from incidents import services as incidents
    from tests.factories import supplier_risk

    risk = supplier_risk(cast, 3, 4)
    playbook = published_plan(dau_playbook_spec(cast["commander"]), cast["officer"])
    incident = incidents.incident_declare(
        title="Port strike",
        severity=2,
        playbook_id=playbook.pk,
        commander=cast["commander"],
        declared_by=cast["officer"],
        now=NOW,
    )
    accept(risk, asker=cast["officer"], approver=cast["ceo"], now=NOW + DAY)
    incidents.incident_link_risk(incident_id=incident.pk, risk=risk, by=cast["commander"], now=NOW + 2 * DAY)
    assert_lapsed(risk, "incident", NOW + 2 * DAY)
