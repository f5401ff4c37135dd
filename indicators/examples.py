"""The source material's early-warning rules (预警机制) as KRI settings: the demo's KRIs, and the
starting points a risk officer can pick on the "New KRI" page."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from indicators.models import Direction, OnRed

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Example:
    key: str
    label: str  # what the page offers, in the reader's language
    settings: dict  # kri_create's arguments, but for the owner and the risks


EXAMPLES = [
    Example(
        "dau",
        _("Daily active users swing over 15 %"),
        {
            "name": "Daily active users",
            "name_zh": "日活跃用户",
            "unit": "k users",
            "direction": Direction.LOWER_IS_WORSE,
            "amber": 10,
            "red": 15,
            "rule": {"type": "change", "baseline": "previous", "either_way": True},
            "on_red": OnRed.OPEN_INCIDENT,
            "expected_every": DAY,
            "description": "Moved more than 15 % in a day → root-cause analysis · "
            "日活波动超过 15% → 根因分析",
        },
    ),
    Example(
        "health",
        _("User-health index under 65 for 3 consecutive weeks"),
        {
            "name": "User-health index",
            "name_zh": "用户健康度",
            "unit": "points",
            "direction": Direction.LOWER_IS_WORSE,
            "amber": 70,
            "red": 65,
            "rule": {"type": "consecutive", "count": 3},
            "on_red": OnRed.REVIEW,
            "expected_every": 7 * DAY,
            "description": "Below 65 for 3 consecutive weeks → recall campaign · 连续三周低于 65 → 召回活动",
        },
    ),
    Example(
        "turnover",
        _("Inventory turnover days 15 % above the benchmark"),
        {
            "name": "Inventory turnover days",
            "name_zh": "库存周转天数",
            "unit": "days",
            "direction": Direction.HIGHER_IS_WORSE,
            "amber": 10,
            "red": 15,
            "rule": {"type": "change", "baseline": 40},
            "on_red": OnRed.NOTIFY,
            "expected_every": 7 * DAY,
            "description": "15 % above the 40-day benchmark → clearance plan · 高于 40 天基准 15% → 清仓计划",
        },
    ),
    Example(
        "cash",
        _("Operating cash flow negative for 2 quarters in a row"),
        {
            "name": "Operating cash flow",
            "name_zh": "经营现金流",
            "unit": "M CNY",
            "direction": Direction.LOWER_IS_WORSE,
            "amber": 5,
            "red": 0,
            "rule": {"type": "consecutive", "count": 2},
            "on_red": OnRed.NOTIFY,
            "expected_every": 91 * DAY,
            "description": "Negative two quarters in a row → cut low-yield SKUs · "
            "连续两季为负 → 砍掉低效 SKU",
        },
    ),
]
EXAMPLE_BY_KEY = {example.key: example for example in EXAMPLES}
