"""A demo register drawn from the source material: supply chain, public opinion, cash, users, systems.

Playbooks are not linked here: the playbooks dataset ships them; link them in the risk's form.
"""

import datetime as dt

from django.utils import timezone

from people.models import User
from risks import acceptances, services
from risks.models import Category

# title, cause, event, consequence, category, source, owner, (l, i), (residual l, i), (target l, i), treatment
RISKS = [
    (
        "Supply-chain break at a key supplier · 核心供应商断供",
        "Single-source components; supplier in a region hit by floods · 单一来源，供应商所在地区受灾",
        "Deliveries stop for more than 72 hours · 断供超过 72 小时",
        "Top 20 % high-margin items out of stock, orders cancelled · 前 20% 高毛利商品缺货，订单取消",
        "supply-chain",
        "external",
        "buyer",
        (4, 5),
        (3, 4),
        (2, 3),
        "mitigate",
    ),
    (
        "Public-opinion crisis after a product complaint · 产品投诉引发舆情危机",
        "A defective batch reaches customers · 缺陷批次流入市场",
        "A complaint goes viral on social media · 投诉在社交媒体上发酵",
        "Brand damage, sales drop, regulator enquiry · 品牌受损、销量下滑、监管问询",
        "reputational",
        "external",
        "pr.lead",
        (3, 5),
        (3, 4),
        (2, 2),
        "mitigate",
    ),
    (
        "Operating cash flow negative two quarters running · 经营现金流连续两季为负",
        "Slow receivables and rising inventory · 回款变慢、库存上升",
        "Cash runs short within 30 days · 30 天内资金紧张",
        "Missed supplier payments, credit line withdrawn · 供应商付款逾期、授信收紧",
        "financial",
        "internal",
        "treasurer",
        (3, 4),
        (2, 4),
        (1, 3),
        "mitigate",
    ),
    (
        "Daily active users swing more than 15 % · 日活波动超过 15%",
        "A competitor's campaign; an unpopular app update · 竞品活动；不受欢迎的版本更新",
        "DAU falls sharply for a week · 日活一周内大幅下滑",
        "Revenue and advertising income fall · 营收与广告收入下降",
        "market",
        "external",
        "ops.lead",
        (3, 3),
        (3, 3),
        (2, 2),
        "mitigate",
    ),
    (
        "User-health index below 65 for three weeks · 用户健康度连续三周低于 65",
        "Service quality complaints pile up · 服务质量投诉累积",
        "Loyal users churn · 忠实用户流失",
        "Lifetime value and referrals fall · 用户终身价值与推荐下降",
        "market",
        "internal",
        "ops.lead",
        (3, 3),
        (2, 3),
        (1, 3),
        "mitigate",
    ),
    (
        "Core system outage · 核心系统宕机",
        "Single data centre, untested failover · 单一机房，故障切换未演练",
        "Order system down for more than 2 hours · 订单系统中断超过 2 小时",
        "Lost orders, SLA penalties · 订单流失、SLA 赔付",
        "technology",
        "internal",
        "oncall",
        (2, 5),
        (2, 4),
        (1, 4),
        "mitigate",
    ),
    (
        "Inventory turnover days 15 % above benchmark · 库存周转天数高于基准 15%",
        "Over-ordering for a season that sold badly · 旺季备货过量、销售不佳",
        "Slow stock ties up cash · 滞销库存占用资金",
        "Markdowns and write-offs · 降价清仓与减值",
        "operational",
        "internal",
        "logistics",
        (3, 3),
        (2, 3),
        (2, 2),
        "mitigate",
    ),
    (
        "Supplier concentration above threshold · 供应商集中度超标",
        "Three suppliers carry 80 % of purchases · 三家供应商占采购额 80%",
        "One of them fails or raises prices · 其中一家违约或涨价",
        "Supply-chain volatility, margins squeezed · 供应链波动、利润被压缩",
        "supply-chain",
        "internal",
        "buyer",
        (3, 4),
        (3, 4),
        (2, 2),
        "transfer",
    ),
    (
        "Personal-information protection non-compliance · 个人信息保护合规风险",
        "Consent records incomplete · 用户授权记录不完整",
        "Regulator inspection finds gaps · 监管检查发现问题",
        "Fines and forced app removal · 罚款与应用下架",
        "compliance",
        "external",
        "counsel",
        (2, 5),
        (2, 3),
        (1, 3),
        "mitigate",
    ),
    (
        "Key-person dependency in the crisis team · 危机小组关键人员依赖",
        "Only one person knows the escalation contacts · 只有一人掌握升级联系人",
        "That person is unreachable during an incident · 事件期间此人无法联系",
        "Response stalls — the 'information black box' · 响应停滞，形成“信息黑箱”",
        "people",
        "internal",
        "crisis.lead",
        (2, 3),
        (2, 2),
        (1, 2),
        "accept",
    ),
]


def load(password: str) -> None:
    now = timezone.now()
    officer = User.objects.get(username="risk.officer")
    made = []
    for row in RISKS:
        title, cause, event, consequence, category, source, owner, inherent, residual, target, treatment = row
        made.append(
            services.risk_create(
                by=officer,
                title=title,
                cause=cause,
                event=event,
                consequence=consequence,
                category=Category.objects.get(key=category),
                source=source,
                owner=User.objects.get(username=owner),
                likelihood=inherent[0],
                impact=inherent[1],
                residual_likelihood=residual[0],
                residual_impact=residual[1],
                target_likelihood=target[0],
                target_impact=target[1],
                treatment=treatment,
                reason="Risk workshop · 风险识别研讨会",
                now=now - dt.timedelta(days=120),
            )
        )
    supply, opinion, cash, *_rest = made
    buyer, pr_lead = supply.owner, opinion.owner
    services.action_create(
        risk=supply, by=officer, title="Qualify a backup-supplier pool · 建立备选供应商池",
        owner=buyer, due_at=now + dt.timedelta(days=14),
    )  # fmt: skip
    services.action_create(
        risk=supply, by=officer, title="Protect the top 20 % high-margin items · 保护前 20% 高毛利商品",
        owner=buyer, due_at=now - dt.timedelta(days=3), now=now - dt.timedelta(days=40),
    )  # fmt: skip
    services.action_create(
        risk=opinion, by=officer, title="Rehearse the golden-3-hours plan · 演练“黄金 3 小时”预案",
        owner=pr_lead, due_at=now + dt.timedelta(days=30),
    )  # fmt: skip
    services.risk_review(
        risk=opinion, by=officer, outcome="unchanged", looked_at=["ratings", "actions", "indicators"],
        notes="Monitoring in place · 舆情监测已就位", now=now - dt.timedelta(days=10),
    )  # fmt: skip
    services.risk_review(
        risk=cash, by=officer, outcome="rerated", looked_at=["ratings", "indicators"],
        ratings={"residual_likelihood": 2, "residual_impact": 3},
        notes="Receivables improved; 30-day cash-flow warning set · 回款改善，已设置 30 天现金流预警",
        now=now - dt.timedelta(days=20),
    )  # fmt: skip
    # The key-person risk is accepted: asked by the risk officer, approved by the CEO, for 90 days.
    key_person = made[-1]
    asked = acceptances.acceptance_request(
        risk=key_person, by=officer, expires_at=now + dt.timedelta(days=90), now=now - dt.timedelta(days=5),
        justification="Cross-training is under way; a second contact list costs more than the delay "
        "it saves · 交叉培训进行中，另设联系人名单的成本高于其减少的延误",
        conditions="The contact list is in the war room's notes · 联系人名单已存入作战室备注",
    )  # fmt: skip
    acceptances.acceptance_approve(
        acceptance=asked, by=User.objects.get(username="ceo"), now=now - dt.timedelta(days=4),
        note="Review at the next quarterly drill · 下次季度演练时复核",
    )  # fmt: skip
