"""The analytics page (URL name "analytics") and the MTTA/MTTR tiles the dashboard includes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.charts import bar_chart, duration_text
from analytics.figures import figures_compute
from analytics.selectors import DIMENSIONS
from analytics.week_chart import quarter_charts
from core.permissions import may_see_everything


def _label(row: dict) -> str:
    return f"{row['key']} · {row['tier']}" if "tier" in row else row["key"]


def _charts(rows: list[dict], value_text, top: float | None = None) -> dict:
    """The real incidents' chart and the drills' chart of one figure."""
    return {
        "real": bar_chart([r for r in rows if not r["drill"]], label=_label, value_text=value_text, top=top),
        "drills": bar_chart([r for r in rows if r["drill"]], label=_label, value_text=value_text, top=top),
    }


@login_required
def analytics_page(request):
    if not may_see_everything(request.user):
        raise PermissionDenied
    by = request.GET.get("by") if request.GET.get("by") in DIMENSIONS else "severity"
    now = timezone.now()
    figures = figures_compute(by=by, now=now)
    if by == "severity":  # "SEV1", never a bare "1" that reads like a response tier
        for rows in figures.values():
            for row in rows:
                row["key"] = f"SEV{row['key']}"
    charts = [
        (_("Mean time to acknowledge"), _charts(figures["mtta"], lambda r: duration_text(r["value"]))),
        (_("Mean time to resolve"), _charts(figures["mttr"], lambda r: duration_text(r["value"]))),
        (
            _("Steps done on time, per tier"),
            _charts(figures["on_time"], lambda r: f"{r['value']:.0%} ({r['on_time']}/{r['count']})", top=1.0),
        ),
        (_("Escalations per incident"), _charts(figures["escalations"], lambda r: f"{r['value']:.1f}")),
    ]
    dimensions = [
        ("severity", _("Severity")),
        ("playbook", _("Playbook")),
        ("team", _("Team")),
        ("month", _("Month")),
    ]
    context = {
        "by": by,
        "charts": charts,
        "dimensions": dimensions,
        "trends": quarter_charts(now=now),
    }
    return render(request, "analytics/page.html", context)
