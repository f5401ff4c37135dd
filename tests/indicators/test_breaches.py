"""What readings do: amber tells the owner and brings reviews forward; red acts once per breach."""

import datetime as dt

import pytest

from incidents.models import Incident
from indicators.models import Breach, Reading
from notifications.models import Notification
from tests.factories import NOW, WEEK

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def at(weeks: int) -> dt.datetime:
    return NOW - dt.timedelta(weeks=10) + weeks * WEEK


def test_each_reading_gets_its_band_and_the_kri_its_latest(make_kri, record):
    kri = make_kri()
    assert [record(kri, value, at(week)).reading.band for week, value in enumerate([50, 85, 95, 20])] == [
        "green",
        "amber",
        "red",
        "green",
    ]
    kri.refresh_from_db()
    assert (kri.band, kri.last_value, kri.last_measured_at) == ("green", 20, at(3))
    assert list(Reading.objects.values_list("band", flat=True)) == ["green", "amber", "red", "green"]


def test_amber_tells_the_owner_and_brings_the_linked_risks_review_forward(make_kri, record, risk, kri_owner):
    kri = make_kri()
    record(kri, 85, at(1), now=NOW)
    risk.refresh_from_db()
    assert risk.next_review_at == NOW + WEEK
    [told] = Notification.objects.filter(kind="kri.breach")
    assert told.recipient == kri_owner and "amber" in told.title
    record(kri, 86, at(2), now=NOW)  # still amber, same breach: nobody told again
    assert Notification.objects.filter(kind="kri.breach").count() == 1


def test_amber_never_pushes_an_earlier_review_back(make_kri, record, risk, officer):
    from risks.services import risk_update

    risk_update(risk=risk, by=officer, changes={"next_review_at": NOW + DAY})
    record(make_kri(), 85, at(1), now=NOW)
    risk.refresh_from_db()
    assert risk.next_review_at == NOW + DAY


def test_red_review_makes_the_linked_risks_review_due_now(make_kri, record, risk, kri_owner):
    kri = make_kri(on_red="review")
    record(kri, 95, at(1), now=NOW)
    risk.refresh_from_db()
    assert risk.next_review_at == NOW
    breach = Breach.objects.get()
    assert (breach.state, breach.band, breach.action, breach.red_at) == ("open", "red", "review", at(1))
    assert set(Notification.objects.filter(kind="kri.breach").values_list("recipient", flat=True)) == {
        kri_owner.pk,
        risk.owner_id,
    }


def test_red_opens_one_incident_per_breach_with_the_risks_published_playbook(make_kri, record, risk, officer):
    kri = make_kri(on_red="open_incident")
    first = record(kri, 95, at(1))
    incident = Incident.objects.get()
    assert first.breach.incident == incident
    assert incident.playbook == risk.playbook and incident.commander == risk.owner
    assert list(incident.risks.all()) == [risk]
    # declared by the system on behalf of the KRI, not by the person who posted the reading
    assert incident.declared_by is None
    declared = incident.timeline.get(type="incident.declared")
    assert declared.actor is None
    assert declared.data["declared_for"] == {
        "kri": kri.pk,
        "name": kri.name,
        "breach": first.breach.pk,
        "value": 95,
        "unit": kri.unit,
        "red": kri.red,
        "measured_at": at(1).isoformat(),
    }
    # red again, amber, red: the same breach, no new incident
    for week, value in [(2, 99), (3, 85), (4, 97)]:
        assert record(kri, value, at(week)).breach.incident == incident
    assert Incident.objects.count() == 1 and Breach.objects.count() == 1
    # back to green closes the breach; the next red opens a new breach and a new incident
    assert record(kri, 10, at(5)).breach is None
    assert Breach.objects.get().state == "closed" and Breach.objects.get().closed_at == at(5)
    second = record(kri, 91, at(6))
    assert Incident.objects.count() == 2 and second.breach.incident != incident
    assert Breach.objects.filter(state="open").count() == 1


def test_the_configured_commander_commands(make_kri, record, make_user):
    commander = make_user(username="commander")
    kri = make_kri(on_red="open_incident", commander=commander)
    assert record(kri, 95, at(1)).breach.incident.commander == commander


def test_the_current_published_version_runs(make_kri, record, risk, officer):
    from playbooks.services import playbook_create, playbook_publish
    from playbooks.spec import playbook_spec

    spec = {**playbook_spec(risk.playbook), "name": "DAU root-cause analysis, improved"}
    newer = playbook_create(spec=spec, created_by=officer)
    newer.lineage = risk.playbook.lineage
    newer.version = 2
    newer.save()
    playbook_publish(playbook=newer, by=officer)
    incident = record(make_kri(on_red="open_incident"), 95, at(1)).breach.incident
    assert incident.playbook == newer


def test_without_a_published_playbook_the_reading_is_kept_and_the_reason_noted(
    make_kri, record, risk, officer
):
    from risks.services import risk_update

    risk_update(risk=risk, by=officer, changes={"playbook": None})
    result = record(make_kri(on_red="open_incident"), 95, at(1))
    assert result.reading.band == "red" and result.breach.incident is None
    assert "no linked risk has a published playbook" in Breach.objects.get().note
    assert Incident.objects.count() == 0 and Reading.objects.count() == 1


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", "declared the incident on behalf of the key risk indicator"),
        ("zh-hans", "代表关键风险指标"),
    ],
)
def test_the_war_room_timeline_names_the_kri_and_the_reading_not_a_person(
    client, make_kri, record, officer, language, words
):
    kri = make_kri(on_red="open_incident")
    record(kri, 95, at(1))
    officer.language = language
    officer.save()
    client.force_login(officer)
    page = client.get(f"/incidents/{Incident.objects.get().pk}/").content.decode()
    assert words in page and kri.name in page and "95" in page


def test_an_incident_opened_by_a_kri_with_both_names_is_titled_in_each_readers_language(
    make_kri, record, risk, client, make_user
):
    from django.utils import translation

    from people.models import Role

    kri = make_kri(on_red="open_incident", name="Daily active users", name_zh="日活跃用户数", unit="%")
    incident = record(kri, 95, at(1)).breach.incident
    assert (incident.title, incident.title_zh) == (
        "Daily active users is red: 95 %",
        "日活跃用户数 进入红灯区间：95 %",
    )
    with translation.override("zh-hans"):
        assert str(incident) == incident.title_zh
    for language, title in (("en", incident.title), ("zh-hans", incident.title_zh)):
        reader = make_user(Role.EXECUTIVE, language=language)
        client.force_login(reader)
        for page in (f"/incidents/{incident.pk}/", "/incidents/", "/dashboard/"):
            assert title in client.get(page).content.decode(), (language, page)
    # The commander is told in their language, the KRI's name too.
    for week, (language, words) in enumerate(
        (("en", "Daily active users is red"), ("zh-hans", "日活跃用户数"))
    ):
        risk.owner.language = language
        risk.owner.save(update_fields=["language"])
        told = Notification.objects.filter(recipient=risk.owner, kind="kri.breach")
        told.delete()
        record(kri, 50, at(2 + 2 * week))
        record(kri, 96, at(3 + 2 * week))
        assert words in told.get().title
