"""The executive digest: sent at each person's local hour once per local day, in their language and
time zone, listing what is live, what is late and what changed band or moved above appetite since
the previous digest; on demand too, without using up the day's; never twice under concurrent beats."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from incidents import services as incidents
from indicators import services as indicators
from notifications.models import Notification
from reports.digests import digest_preference_set, digests_send_due
from reports.models import Digest
from risks.models import Category
from risks.services import risk_create, risk_rerate
from tests.factories import H, fire_due, plant_fire, send_deliveries
from tests.reports.conftest import TITLE_ZH
from tests.reports.conftest import speaking as speaking_only

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 08:00 in Shanghai, three days from now: everything the test makes happens at times it chooses.
EIGHT = (dt.datetime.now(SHANGHAI) + dt.timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
DAY = dt.timedelta(days=1)


@pytest.fixture
def world(cast, playbook):
    """Before the digest at EIGHT: a live incident declared 4 h earlier with a status update, its
    first task 2 h late and escalated; a KRI amber yesterday morning and red since; a risk within
    appetite for days that was re-rated above it last night."""
    incident = plant_fire(cast, playbook, EIGHT - 4 * H)
    Incident = type(incident)
    Incident.objects.filter(pk=incident.pk).update(title_zh=TITLE_ZH)
    incidents.incident_post_update(
        incident_id=incident.pk,
        by=cast["commander"],
        body="Backup suppliers called; 工厂停产",
        now=EIGHT - 3 * H,
    )
    fire_due(EIGHT - dt.timedelta(minutes=1))
    kri = indicators.kri_create(
        by=None,
        name="Supplier concentration",
        name_zh="供应商集中度",
        owner=cast["officer"],
        direction="higher_is_worse",
        amber=60,
        red=80,
        unit="%",
    )
    for value, at in ((65, EIGHT - 30 * H), (85, EIGHT - 5 * H)):
        entry = indicators.ReadingInput(kri=kri, value=value, measured_at=at)
        indicators.readings_record(entries=[entry], by=cast["officer"], now=at)
    risk = risk_create(
        by=cast["officer"],
        title="Main supplier stops deliveries",
        category=Category.objects.get(key="supply-chain"),
        owner=cast["officer"],
        likelihood=1,
        impact=1,
        now=EIGHT - 5 * DAY,
    )
    assert not risk.above_appetite
    risk_rerate(
        risk=risk,
        by=cast["officer"],
        reason="Plant fire",
        likelihood=5,
        impact=5,
        residual_likelihood=5,
        residual_impact=5,
        now=EIGHT - 10 * H,
    )
    return {"incident": incident, "kri": kri, "risk": risk}


def speaking(person, language: str):
    """The person reading `language` (in Shanghai for Chinese, London for English), with an e-mail."""
    person.email = f"{person.username}@example.com"
    person.save(update_fields=["email"])
    return speaking_only(person, language)


def digests_of(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person, kind="digest").order_by("created_at", "pk"))


def emailed_digests(person) -> list:
    send_deliveries(notification__kind="digest", notification__recipient=person)
    return [message for message in mail.outbox if message.to == [person.email]]


@pytest.mark.django_db
def test_an_executive_in_shanghai_gets_the_digest_at_eight_local_in_chinese(cast, world):
    ceo = speaking(cast["ceo"], "zh-hans")
    assert digests_send_due(now=EIGHT - dt.timedelta(minutes=1)) == []
    assert digests_send_due(now=EIGHT + dt.timedelta(minutes=2)) == [ceo.pk]
    [message] = emailed_digests(ceo)
    assert message.subject == f"高管每日简报 · {EIGHT:%Y-%m-%d}"
    text = message.body
    # Live, with the latest update: who said what, when, in Shanghai time.
    assert "进行中的事件" in text
    assert f"SEV1 · {TITLE_ZH} · " in text
    assert "Backup suppliers called; 工厂停产" in text
    assert f"最新通报（{EIGHT - 3 * H:%Y-%m-%d %H:%M}，commander）" in text
    assert "(Asia/Shanghai)" in text
    # Late: whose task, how late, how far escalated.
    assert "Switch to the backup-supplier pool — Supply chain — 逾期 2 小时 2 分钟，已升级至第 2 级" in text
    # The KRI's band change and the risk now above appetite.
    assert "供应商集中度：黄灯 → 红灯，最新读数 85 %" in text
    assert f"{world['risk'].ref} Main supplier stops deliveries" in text
    assert "Executive digest" not in text and "Live incidents" not in text


@pytest.mark.django_db
def test_an_english_reader_in_london_gets_it_in_english_at_eight_london_time(cast, world):
    ceo = speaking(cast["ceo"], "en")
    eight_london = EIGHT.replace(tzinfo=ZoneInfo("Europe/London"))
    assert digests_send_due(now=eight_london - dt.timedelta(minutes=1)) == []
    assert digests_send_due(now=eight_london) == [ceo.pk]
    [message] = emailed_digests(ceo)
    assert message.subject == f"Executive digest · {EIGHT:%Y-%m-%d}"
    assert "Live incidents" in message.body
    assert "SEV1 · Main supplier plant fire · " in message.body
    assert "Supplier concentration: Amber → Red, latest reading 85 %" in message.body
    assert "(Europe/London)" in message.body


@pytest.mark.django_db
def test_one_digest_a_day_and_the_next_day_leaves_out_what_was_reported(cast, world):
    ceo = speaking(cast["ceo"], "en")
    eight_london = EIGHT.replace(tzinfo=ZoneInfo("Europe/London"))
    assert digests_send_due(now=eight_london) == [ceo.pk]
    assert digests_send_due(now=eight_london + 15 * H) == []
    assert len(digests_of(ceo)) == 1
    assert digests_send_due(now=eight_london + DAY) == [ceo.pk]
    first, second = digests_of(ceo)
    assert "Supplier concentration" in first.body and world["risk"].ref in first.body
    assert "Supplier concentration" not in second.body
    assert world["risk"].ref not in second.body
    assert "Main supplier plant fire" in second.body  # still live


@pytest.mark.django_db
def test_a_quiet_day_is_one_line(cast):
    ceo = speaking(cast["ceo"], "en")
    assert digests_send_due(now=EIGHT.replace(tzinfo=ZoneInfo("Europe/London"))) == [ceo.pk]
    [digest] = digests_of(ceo)
    assert digest.body.splitlines()[-1] == (
        "Nothing to report: no live incident, no key risk indicator changed band, "
        "no risk moved above appetite."
    )


@pytest.mark.django_db
def test_executives_by_default_others_when_they_choose_at_their_hour(cast, world):
    ceo, buyer = speaking(cast["ceo"], "en"), speaking(cast["buyer"], "en")
    digest_preference_set(user=buyer, by=buyer, enabled=True, hour=10)
    digest_preference_set(user=ceo, by=ceo, enabled=False, hour=8)
    eight_london = EIGHT.replace(tzinfo=ZoneInfo("Europe/London"))
    assert digests_send_due(now=eight_london + H) == []
    assert digests_send_due(now=eight_london + 2 * H) == [buyer.pk]
    assert digests_of(ceo) == []


@pytest.mark.django_db
def test_send_now_does_not_use_up_the_days_digest(client, cast, world):
    ceo = speaking(cast["ceo"], "en")
    client.force_login(ceo)
    response = client.post("/notifications/digest/send/")
    assert response.status_code == 302
    [now] = digests_of(ceo)
    assert "Main supplier plant fire" in now.body
    assert not Digest.objects.filter(user=ceo, last_day__isnull=False).exists()
    assert digests_send_due(now=EIGHT.replace(tzinfo=ZoneInfo("Europe/London"))) == [ceo.pk]
    assert len(digests_of(ceo)) == 2


@pytest.mark.django_db
def test_the_preferences_page_sets_the_digest(client, cast):
    buyer = cast["buyer"]
    client.force_login(buyer)
    page = client.get("/notifications/").content.decode()
    assert "Send me the digest now" in page
    assert client.post("/notifications/digest/", {"enabled": "on", "hour": "7"}).status_code == 302
    assert Digest.objects.filter(user=buyer, enabled=True, hour=7).exists()
    client.post("/notifications/digest/", {"hour": "25"})
    assert Digest.objects.get(user=buyer).hour == 7


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_senders_send_one_digest(cast, world):
    ceo = speaking(cast["ceo"], "en")
    at = EIGHT.replace(tzinfo=ZoneInfo("Europe/London"))
    start = threading.Barrier(2)

    def sender():
        try:
            start.wait()
            return digests_send_due(now=at)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        results = [future.result() for future in [pool.submit(sender), pool.submit(sender)]]
    assert sorted(results) == [[], [ceo.pk]]
    assert len(digests_of(ceo)) == 1
