"""The analytics page (URL name "analytics") and the MTTA/MTTR tiles the dashboard includes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.charts import bar_chart, duration_text
from analytics.figures import figures_compute
from analytics.selectors import DIMENSIONS
from analytics.trends import weekly_trends
from analytics.week_chart import week_chart
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
    weeks = weekly_trends(now=now)
    trends = [
        (
            _("Incidents declared"),
            week_chart(weeks, value=lambda week: week.incidents, text=lambda n: f"{n:g}"),
        ),
        (_("Mean time to acknowledge"), week_chart(weeks, value=lambda week: week.mtta, text=duration_text)),
        (_("Mean time to resolve"), week_chart(weeks, value=lambda week: week.mttr, text=duration_text)),
    ]
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
        "trends": trends,
        "first_week": weeks[0].starts,
    }
    return render(request, "analytics/page.html", context)
