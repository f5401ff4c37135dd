"""Demo teams and people: one of every role, a responder or two in each team."""

from people import services
from people.models import Role

TEAMS = [
    ("crisis", "Crisis management · 危机管理小组"),
    ("supply-chain", "Supply chain · 供应链"),
    ("pr", "Public relations · 公关"),
    ("legal", "Legal · 法务"),
    ("operations", "Operations · 运营"),
    ("engineering", "Engineering · 技术"),
    ("finance", "Finance · 财务"),
]

# username, first name, last name, role, teams, language, time zone
PEOPLE = [
    ("risk.officer", "Na", "Li · 李娜", Role.RISK_OFFICER, ["crisis"], "zh-hans", "Asia/Shanghai"),
    ("ceo", "Wei", "Wang · 王伟", Role.EXECUTIVE, [], "zh-hans", "Asia/Shanghai"),
    ("cfo", "Emma", "Clarke", Role.EXECUTIVE, [], "en", "Europe/London"),
    ("crisis.lead", "Jun", "Zhao · 赵军", Role.RESPONDER, ["crisis"], "zh-hans", "Asia/Shanghai"),
    ("buyer", "Fang", "Chen · 陈芳", Role.RESPONDER, ["supply-chain"], "zh-hans", "Asia/Shanghai"),
    ("logistics", "Tom", "Becker", Role.RESPONDER, ["supply-chain"], "en", "Europe/Berlin"),
    ("pr.lead", "Min", "Liu · 刘敏", Role.RESPONDER, ["pr"], "zh-hans", "Asia/Shanghai"),
    ("counsel", "Sarah", "Nguyen", Role.RESPONDER, ["legal"], "en", "America/New_York"),
    ("ops.lead", "Lei", "Sun · 孙磊", Role.RESPONDER, ["operations"], "zh-hans", "Asia/Shanghai"),
    ("oncall", "Priya", "Shah", Role.RESPONDER, ["engineering"], "en", "UTC"),
    ("treasurer", "Hao", "Zhou · 周浩", Role.RESPONDER, ["finance"], "zh-hans", "Asia/Shanghai"),
]

ESCALATION_CONTACTS = {
    "crisis": "crisis.lead",
    "supply-chain": "buyer",
    "pr": "pr.lead",
    "legal": "counsel",
    "operations": "ops.lead",
    "engineering": "oncall",
    "finance": "treasurer",
}


def load(password: str) -> None:
    teams = {slug: services.team_create(by=None, slug=slug, name=name) for slug, name in TEAMS}
    people = {}
    for username, first, last, role, team_slugs, language, timezone in PEOPLE:
        people[username] = services.user_create(
            by=None,
            username=username,
            password=password,
            email=f"{username}@example.com",
            role=role,
            teams=[teams[slug] for slug in team_slugs],
            timezone=timezone,
            language=language,
            first_name=first,
            last_name=last,
        )
    for slug, username in ESCALATION_CONTACTS.items():
        services.team_update(team=teams[slug], by=None, changes={"escalation_contact": people[username]})
