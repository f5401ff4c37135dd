"""The matrix and categories an organisation starts with (the matrix changes on its page, /risks/matrix/)."""

LIKELIHOOD = [
    {"value": 1, "label_en": "Rare", "label_zh": "罕见"},
    {"value": 2, "label_en": "Unlikely", "label_zh": "不太可能"},
    {"value": 3, "label_en": "Possible", "label_zh": "可能"},
    {"value": 4, "label_en": "Likely", "label_zh": "很可能"},
    {"value": 5, "label_en": "Almost certain", "label_zh": "几乎确定"},
]

IMPACT = [
    {"value": 1, "label_en": "Negligible", "label_zh": "轻微"},
    {"value": 2, "label_en": "Minor", "label_zh": "较小"},
    {"value": 3, "label_en": "Moderate", "label_zh": "中等"},
    {"value": 4, "label_en": "Major", "label_zh": "重大"},
    {"value": 5, "label_en": "Severe", "label_zh": "严重"},
]

LEVELS = [
    {"key": "low", "label_en": "Low", "label_zh": "低", "color": "#2e9d5b", "review_interval_days": 365},
    {
        "key": "medium",
        "label_en": "Medium",
        "label_zh": "中",
        "color": "#e0b400",
        "review_interval_days": 180,
    },
    {"key": "high", "label_en": "High", "label_zh": "高", "color": "#ef7d22", "review_interval_days": 90},
    {
        "key": "critical",
        "label_en": "Critical",
        "label_zh": "极高",
        "color": "#c9302c",
        "review_interval_days": 30,
    },
]


def _level_of_score(score: int) -> str:
    if score >= 20:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


GRID = [[_level_of_score(likelihood * impact) for impact in range(1, 6)] for likelihood in range(1, 6)]

APPETITE = "medium"

CATEGORIES = [
    ("strategic", "Strategic", "战略"),
    ("operational", "Operational", "运营"),
    ("financial", "Financial", "财务"),
    ("compliance", "Compliance", "合规"),
    ("market", "Market", "市场"),
    ("supply-chain", "Supply chain", "供应链"),
    ("reputational", "Reputational / public opinion", "声誉 / 舆情"),
    ("technology", "Technology", "技术"),
    ("people", "People", "人员"),
]
