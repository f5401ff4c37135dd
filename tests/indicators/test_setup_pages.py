"""KRIs set up and fed on pages: the New KRI and Edit forms (field-level errors in both languages,
bad input changing nothing), a reading entered by hand (through the API's service, so it breaches
once), the audit entries with who did it, and who may do what."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from incidents.models import Incident
from indicators.models import KRI, Breach, Reading
from people.models import Role
from risks.services import risk_archive

pytestmark = pytest.mark.django_db


def health_form(risk, owner, **changes) -> dict:
    """The form of "user-health index under 65 for 3 consecutive weeks", as a browser posts it."""
    data = {
        "name": "User-health index",
        "name_zh": "用户健康度",
        "unit": "points",
        "description": "",
        "direction": "lower_is_worse",
        "rule_type": "consecutive",
        "amber": "70",
        "red": "65",
        "count": "3",
        "baseline": "",
        "risks": [risk.pk],
        "owner": owner.pk,
        "on_red": "review",
        "commander": "",
        "expected_count": "1",
        "expected_unit": "weeks",
    }
    return data | changes


def signed_in(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def test_a_risk_officer_sets_up_a_kri_on_a_page_and_the_audit_log_names_them(client, officer, risk):
    response = signed_in(client, officer).post("/kris/new/", health_form(risk, officer))
    kri = KRI.objects.get()
    assert response.status_code == 302 and response.url == f"/kris/{kri.pk}/"
    assert (kri.name, kri.name_zh, kri.unit, kri.direction) == (
        "User-health index",
        "用户健康度",
        "points",
        "lower_is_worse",
    )
    assert (kri.amber, kri.red, kri.rule) == (70, 65, {"type": "consecutive", "count": 3})
    assert (kri.on_red, kri.expected_every, list(kri.risks.all())) == (
        "review",
        dt.timedelta(weeks=1),
        [risk],
    )
    [entry] = AuditEntry.objects.filter(object_type="indicators.kri")
    assert (entry.action, entry.actor, entry.after["amber"], entry.after["risks"]) == (
        "created",
        officer,
        70,
        [risk.pk],
    )


@pytest.mark.parametrize(
    "key, name, rule",
    [
        ("dau", "Daily active users", {"type": "change", "baseline": "previous", "either_way": True}),
        ("health", "User-health index", {"type": "consecutive", "count": 3}),
        ("turnover", "Inventory turnover days", {"type": "change", "baseline": 40.0, "either_way": False}),
        ("cash", "Operating cash flow", {"type": "consecutive", "count": 2}),
    ],
)
def test_each_early_warning_example_fills_in_a_form_that_saves_as_it_is(client, officer, key, name, rule):
    signed_in(client, officer)
    form = client.get(f"/kris/new/?example={key}").context["form"]
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    data.pop("either_way") if data["either_way"] is False else None
    assert data["name"] == name and data["name_zh"] and data["owner"] == officer.pk
    response = client.post("/kris/new/", data)
    assert response.status_code == 302
    assert KRI.objects.get(name=name).rule == rule


def test_the_health_example_reads_its_rule_in_words_beside_the_form(client, officer):
    page = signed_in(client, officer, "zh-hans").get("/kris/new/?example=health").content.decode()
    words = page.split('<p data-rule-words aria-live="polite">')[1].split("</p>")[0]
    assert "低于 70 为黄灯，低于 65 为红灯 · 连续 3 次读数越过红线才转红灯" in words


@pytest.mark.parametrize(
    "language, errors",
    [
        (
            "en",
            {
                "name": "This field is required.",
                "amber": "Amber must not be below red when lower is worse.",
                "count": "Say how many readings in a row beyond red make it red.",
                "expected_count": "Ensure this value is greater than or equal to 1.",
            },
        ),
        (
            "zh-hans",
            {
                "name": "该字段是必填项。",
                "amber": "越低越差时，黄灯阈值不得低于红灯阈值。",
                "count": "请填写连续多少次越过红线即转为红灯。",
                "expected_count": "确保该值大于或等于1。",
            },
        ),
    ],
)
def test_bad_input_is_refused_next_to_each_field_in_the_readers_language_and_changes_nothing(
    client, officer, risk, language, errors
):
    signed_in(client, officer, language)
    audited = AuditEntry.objects.count()
    data = health_form(risk, officer, name="", amber="60", count="", expected_count="0")
    response = client.post("/kris/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    for field, error in errors.items():
        assert f'<ul class="errorlist" id="id_{field}_error"><li>{error}</li></ul>' in page
    assert response.context["form"]["unit"].value() == "points"  # what was typed stays
    assert not KRI.objects.exists() and AuditEntry.objects.count() == audited


def test_a_change_rule_against_a_zero_baseline_is_refused_on_the_baseline(client, officer, risk):
    data = health_form(risk, officer, rule_type="change", direction="higher_is_worse", amber="10", red="15")
    response = signed_in(client, officer).post("/kris/new/", data | {"baseline": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"baseline": ["A configured baseline cannot be zero."]}


def test_an_edit_changes_the_settings_and_the_audit_log_says_from_what(client, officer, make_kri, risk):
    kri = make_kri(amber=80, red=90, risks=[])
    signed_in(client, officer)
    form = client.get(f"/kris/{kri.pk}/edit/").context["form"]
    assert (form["amber"].value(), form["red"].value(), form["rule_type"].value()) == (80, 90, "threshold")
    data = health_form(risk, kri.owner, name=kri.name, direction="higher_is_worse", rule_type="threshold")
    response = client.post(f"/kris/{kri.pk}/edit/", data | {"amber": "85", "red": "95", "count": ""})
    assert response.status_code == 302
    kri.refresh_from_db()
    assert (kri.amber, kri.red, list(kri.risks.all())) == (85, 95, [risk])
    entry = AuditEntry.objects.get(object_type="indicators.kri", action="updated")
    assert entry.actor == officer
    assert (entry.before["amber"], entry.before["risks"]) == (80, [])
    assert (entry.after["amber"], entry.after["risks"]) == (85, [risk.pk])


def test_an_edit_refused_changes_nothing(client, officer, make_kri, risk):
    kri = make_kri(amber=80, red=90)
    data = health_form(risk, kri.owner, direction="higher_is_worse", rule_type="threshold", amber="99")
    response = signed_in(client, officer).post(f"/kris/{kri.pk}/edit/", data)
    assert response.status_code == 400 and "amber" in response.context["form"].errors
    kri.refresh_from_db()
    assert (kri.name, kri.amber, kri.red) == ("Daily active users", 80, 90)
    assert not AuditEntry.objects.filter(action="updated").exists()


def local_input(when: dt.datetime, zone: str) -> str:
    return when.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def test_a_reading_entered_by_hand_is_read_in_the_readers_time_zone_and_breaches_exactly_once(
    client, officer, make_kri
):
    """Red opens an incident with the linked risk's playbook, once: the next red reading belongs to
    the same breach, as it would through the API."""
    kri = make_kri(on_red="open_incident")
    officer.timezone = "Asia/Shanghai"
    officer.save(update_fields=["timezone"])
    signed_in(client, officer)
    first = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=2)
    for day, value in enumerate([95, 97]):
        response = client.post(
            f"/kris/{kri.pk}/readings/",
            {
                "value": value,
                "measured_at": local_input(first + day * dt.timedelta(days=1), "Asia/Shanghai"),
                "note": "Weekly BI export",
            },
        )
        assert response.status_code == 302
    assert list(Reading.objects.values_list("measured_at", "band", "note", "recorded_by")) == [
        (first, "red", "Weekly BI export", officer.pk),
        (first + dt.timedelta(days=1), "red", "Weekly BI export", officer.pk),
    ]
    [breach] = Breach.objects.all()
    [incident] = Incident.objects.all()
    assert breach.incident == incident and breach.action == "open_incident"
    entries = AuditEntry.objects.filter(object_type="indicators.reading").order_by("id")
    assert [(entry.actor, entry.after["value"], entry.after["note"]) for entry in entries] == [
        (officer, 95, "Weekly BI export"),
        (officer, 97, "Weekly BI export"),
    ]
    page = client.get(f"/kris/{kri.pk}/").content.decode()
    assert "Red: above 90" in page and incident.shown_title in page


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "A reading cannot be measured in the future."),
        ("zh-hans", "读数的测量时间不能晚于当前时间。"),
    ],
)
def test_a_reading_refused_says_why_next_to_its_field_and_records_nothing(
    client, officer, make_kri, language, message
):
    kri = make_kri()
    tomorrow = local_input(timezone.now() + dt.timedelta(days=1), officer.timezone)
    response = signed_in(client, officer, language).post(
        f"/kris/{kri.pk}/readings/", {"value": "95", "measured_at": tomorrow}
    )
    assert response.status_code == 400
    assert response.context["reading_form"].errors == {"measured_at": [message]}
    assert response.context["reading_form"]["value"].value() == "95"
    assert not Reading.objects.exists() and not Breach.objects.exists()
    assert not AuditEntry.objects.filter(object_type="indicators.reading").exists()
    bad_value = client.post(f"/kris/{kri.pk}/readings/", {"value": "lots"})
    assert bad_value.status_code == 400 and "value" in bad_value.context["reading_form"].errors


# Who may: (set up a KRI, edit it, enter its reading); the KRI's owner is a responder.
MAY = {
    "responder": (False, False, False),
    "executive": (False, False, False),
    "kri_owner": (False, False, True),
    "officer": (True, True, True),
    "admin": (True, True, True),
}


@pytest.mark.parametrize("who", MAY)
def test_who_may_set_up_edit_and_feed_a_kri(client, make_user, officer, kri_owner, make_kri, risk, who):
    people = {
        "responder": make_user(Role.RESPONDER),
        "executive": make_user(Role.EXECUTIVE),
        "kri_owner": kri_owner,
        "officer": officer,
        "admin": make_user(Role.ADMIN),
    }
    kri = make_kri()
    may_set_up, may_edit, may_record = MAY[who]
    signed_in(client, people[who])
    refused = 403
    assert client.get("/kris/new/").status_code == (200 if may_set_up else refused)
    created = client.post("/kris/new/", health_form(risk, officer, name="Set up by the test"))
    assert created.status_code == (302 if may_set_up else refused)
    assert KRI.objects.filter(name="Set up by the test").exists() == may_set_up
    assert client.get(f"/kris/{kri.pk}/edit/").status_code == (200 if may_edit else refused)
    edited = client.post(f"/kris/{kri.pk}/edit/", health_form(risk, officer, name="Renamed"))
    assert edited.status_code == (302 if may_edit else refused)
    recorded = client.post(f"/kris/{kri.pk}/readings/", {"value": "50"})
    assert recorded.status_code == (302 if may_record else refused)
    assert Reading.objects.filter(kri=kri).exists() == may_record
    detail = client.get(f"/kris/{kri.pk}/").content.decode()
    assert (f'href="/kris/{kri.pk}/edit/"' in detail, f'action="/kris/{kri.pk}/readings/"' in detail) == (
        may_edit,
        may_record,
    )
    assert ('href="/kris/new/"' in client.get("/kris/").content.decode()) == may_set_up


def test_signed_out_the_pages_send_to_the_login(client, make_kri):
    kri = make_kri()
    for path in ("/kris/new/", f"/kris/{kri.pk}/edit/", "/kris/rule-in-words/"):
        assert client.get(path).url.startswith("/login/")
    assert client.post(f"/kris/{kri.pk}/readings/", {"value": "95"}).url.startswith("/login/")
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", "Amber below 70, red below 65 · red after 3 consecutive readings"),
        ("zh-hans", "低于 70 为黄灯，低于 65 为红灯 · 连续 3 次读数越过红线才转红灯"),
    ],
)
def test_the_rule_in_words_follows_the_fields(client, executive, language, words):
    signed_in(client, executive, language)
    query = "direction=lower_is_worse&rule_type=consecutive&amber=70&red=65&count=3"
    assert client.get(f"/kris/rule-in-words/?{query}").content.decode().strip() == words
    incomplete = client.get("/kris/rule-in-words/?direction=lower_is_worse&rule_type=consecutive&amber=70")
    assert 'class="muted"' in incomplete.content.decode()


def test_a_reading_older_than_the_latest_names_the_latest_in_the_readers_time(
    client, officer, make_kri, record
):
    kri = make_kri()
    latest = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    record(kri, 50, latest)
    officer.timezone = "Asia/Shanghai"
    officer.save(update_fields=["timezone"])
    earlier = local_input(latest - dt.timedelta(days=1), "Asia/Shanghai")
    response = signed_in(client, officer).post(
        f"/kris/{kri.pk}/readings/", {"value": "60", "measured_at": earlier}
    )
    shown = local_input(latest, "Asia/Shanghai").replace("T", " ")
    assert response.context["reading_form"].errors == {
        "measured_at": [
            f"Readings are added in time order: the latest reading of this KRI was measured at {shown}."
        ]
    }
    assert kri.readings.count() == 1


def test_an_edit_keeps_the_link_to_a_risk_archived_since_and_offers_no_other_archived_risk(
    client, officer, make_kri, risk
):
    kri = make_kri(amber=80, red=90, risks=[risk])
    risk_archive(risk=risk, by=officer)
    signed_in(client, officer)
    form = client.get(f"/kris/{kri.pk}/edit/").context["form"]
    assert list(form.fields["risks"].queryset) == [risk] and form["risks"].value() == [risk.pk]
    data = health_form(risk, kri.owner, name=kri.name, direction="higher_is_worse", rule_type="threshold")
    assert client.post(f"/kris/{kri.pk}/edit/", data | {"amber": "85", "red": "95"}).status_code == 302
    assert list(kri.risks.all()) == [risk]
    assert list(client.get("/kris/new/").context["form"].fields["risks"].queryset) == []
