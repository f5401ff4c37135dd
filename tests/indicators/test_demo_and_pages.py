"""The demo KRIs, a red DAU reading opening an incident, and the pages in English and Chinese."""

import pytest
from django.utils import timezone

from incidents.models import Incident
from indicators.models import KRI, Breach
from people.models import User


def test_the_demo_kris_have_history_and_a_red_dau_reading_opens_an_incident(demo, api):
    assert KRI.objects.count() == 5
    bands = dict(KRI.objects.values_list("name", "band"))
    assert bands["User-health index"] == "amber" and all(kri.readings.exists() for kri in KRI.objects.all())
    dau = KRI.objects.get(name__startswith="Daily active users")
    api.as_user(User.objects.get(username="ops.lead"))  # the KRI's owner
    response = api.post(
        f"/api/v1/kris/{dau.id}/readings/",
        {"value": dau.last_value * 0.8, "measured_at": timezone.now().isoformat()},
        format="json",
    )
    assert response.status_code == 201 and response.json()["band"] == "red"
    incident = Incident.objects.get(pk=response.json()["incident"])
    assert "Core-system outage" in incident.playbook.name and incident.commander.username == "ops.lead"
    assert Breach.objects.get(kri=dau).incident == incident


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_render_for_everyone_signed_in(demo, client, language):
    user = User.objects.get(username="ceo")
    client.force_login(user)
    client.cookies["django_language"] = language
    kri = KRI.objects.get(name__startswith="User-health")
    listing = client.get("/kris/", HTTP_ACCEPT_LANGUAGE=language)
    detail = client.get(f"/kris/{kri.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert listing.status_code == 200 and detail.status_code == 200
    assert b"<svg" in detail.content and detail.content.count(b"<circle") == kri.readings.count()
    risk = kri.risks.get()
    assert kri.name.encode() in client.get(f"/risks/{risk.pk}/").content
    client.logout()
    assert client.get("/kris/").status_code == 302


@pytest.mark.parametrize(
    "language, words",
    [("en", ["no reading yet", "none", "not set"]), ("zh-hans", ["尚无读数", "无", "未设置"])],
)
def test_a_kri_never_read_says_so_in_words_never_a_dash(client, officer, make_kri, language, words):
    """A bare dash reads as 二 to a Chinese reader."""
    kri = make_kri(risks=[])
    officer.language = language
    officer.save(update_fields=["language"])
    client.force_login(officer)
    listing = client.get("/kris/").content.decode()
    detail = client.get(f"/kris/{kri.pk}/").content.decode()
    last_reading, no_risk, no_schedule = (f'<span class="muted">{word}</span>' for word in words)
    assert last_reading in listing and no_risk in listing and "—" not in listing.split("<tbody>")[1]
    assert no_risk in detail and no_schedule in detail and "—" not in detail.split('class="facts"')[1]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots_in_both_languages(demo, live_server, signed_in_page, screenshot_dir):
    kri = KRI.objects.get(name__startswith="User-health")
    against_baseline = KRI.objects.get(name__startswith="Inventory turnover")
    pages = (
        ("list", "/kris/"),
        ("detail", f"/kris/{kri.pk}/"),
        ("detail-baseline", f"/kris/{against_baseline.pk}/"),
    )
    for language in ("en", "zh-hans"):
        user = User.objects.get(username="risk.officer")
        user.language = language
        user.save(update_fields=["language"])
        page = signed_in_page(user)
        for name, path in pages:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() >= 1
            page.screenshot(path=str(screenshot_dir / f"kri-{name}-{language}.png"), full_page=True)
