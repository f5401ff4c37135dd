"""Demo KRIs from the source material's early-warning rules (预警机制), with their readings history.

Loaded after the register and the playbooks: the DAU risk is linked to the shipped outage plan
(if the register left it without one), so a red DAU reading opens an incident.
"""

import datetime as dt
import math

from django.utils import timezone

from indicators import services
from indicators.examples import DAY, EXAMPLE_BY_KEY
from people.models import User
from playbooks.models import Playbook, PlaybookStatus
from risks.models import Risk
from risks.services import risk_update


def _risk(title_start: str) -> Risk:
    return Risk.objects.get(title__startswith=title_start)


def _series(kri, values, every: dt.timedelta, by, now) -> None:
    start = now - every * (len(values) - 1) - dt.timedelta(hours=1)
    entries = [
        services.ReadingInput(kri=kri, value=value, measured_at=start + every * index)
        for index, value in enumerate(values)
    ]
    services.readings_record(entries=entries, by=by, now=now)


def load(password: str) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    officer = User.objects.get(username="risk.officer")
    person = {user.username: user for user in User.objects.all()}
    dau_risk = _risk("Daily active users")
    if dau_risk.playbook is None:
        plan = Playbook.objects.filter(
            name__contains="Core-system outage", status=PlaybookStatus.PUBLISHED
        ).first()
        risk_update(risk=dau_risk, by=officer, changes={"playbook": plan}, reason="KRI demo · 指标演示")

    dau = services.kri_create(
        by=None, owner=person["ops.lead"], risks=[dau_risk], **EXAMPLE_BY_KEY["dau"].settings
    )
    _series(dau, [round(120 + 4 * math.sin(day / 2), 1) for day in range(30)], DAY, officer, now)

    health = services.kri_create(
        by=None,
        owner=person["ops.lead"],
        risks=[_risk("User-health index")],
        **EXAMPLE_BY_KEY["health"].settings,
    )
    _series(health, [78, 76, 77, 74, 72, 71, 69, 68, 66, 64, 63], 7 * DAY, officer, now)

    turnover = services.kri_create(
        by=None,
        owner=person["logistics"],
        risks=[_risk("Inventory turnover days")],
        **EXAMPLE_BY_KEY["turnover"].settings,
    )
    _series(turnover, [38, 39, 41, 42, 43, 44, 45, 44.5, 45.5], 7 * DAY, officer, now)

    cash = services.kri_create(
        by=None,
        owner=person["treasurer"],
        risks=[_risk("Operating cash flow")],
        **EXAMPLE_BY_KEY["cash"].settings,
    )
    _series(cash, [18, 14, 11, 9, 12, 7, 3, -2], 91 * DAY, officer, now)

    volatility = services.kri_create(
        by=None,
        name="Supply-chain volatility index",
        name_zh="供应链波动指数",
        unit="points",
        owner=person["buyer"],
        risks=[_risk("Supply-chain break"), _risk("Supplier concentration")],
        direction="higher_is_worse",
        amber=60,
        red=75,
        on_red="notify",
        expected_every=7 * DAY,
        description="Concentration, logistics delays → diversify buying · 供应商集中度、物流延误 → 分散采购",
    )
    _series(volatility, [42, 45, 51, 48, 55, 58, 62, 57, 54, 52], 7 * DAY, officer, now)
