"""The pages that update themselves: the executive dashboard and a team's "what is ours now".

Each page is rendered whole once; afterwards its script asks for `?part=live` (the same
template's live part, rendered by the same selectors) whenever its stream says something
changed, so the page never disagrees with the detail pages.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from live import permissions, selectors
from live.cockpit import cockpit_incidents
from people.models import Team
from risks import attention

# The cockpit names the top few risks above appetite and overdue reviews; the register has them all.
COCKPIT_SHOWN = 5


def _render(request, template: str, part: str, context: dict):
    return render(request, part if request.GET.get("part") == "live" else template, context)


@login_required
def dashboard(request):
    if not permissions.may_watch_dashboard(request.user):
        raise PermissionDenied
    now = timezone.now()
    # The headline figures are real incidents only; drills are counted apart, as their own figure.
    real, drills = cockpit_incidents(now=now)
    context = {
        "real": real,
        "drills": drills,
        "overdue_total": sum(row.incident.overdue_tasks for row in real),
        "escalation_total": sum(row.incident.executive_escalations for row in real),
        "drill_overdue_total": sum(row.incident.overdue_tasks for row in drills),
        "stream": "/ws/dashboard/",
    }
    if request.GET.get("part") != "live":
        context["reviews_overdue"] = attention.reviews_overdue(now=now, shown=COCKPIT_SHOWN)
        context["above_appetite"] = attention.above_appetite(now=now, shown=COCKPIT_SHOWN)
    return _render(request, "live/dashboard.html", "live/dashboard_incidents.html", context)


@login_required
def team_now(request, team_id: int):
    if not permissions.may_watch_team(request.user, team_id):
        raise Http404
    now = timezone.now()
    context = {
        "team": Team.objects.get(pk=team_id),
        "incidents": list(selectors.team_incidents(team_id=team_id, now=now)),
        "tasks": list(selectors.team_tasks(team_id=team_id)),
        "now": now,
        "stream": f"/ws/teams/{team_id}/",
    }
    return _render(request, "live/team_now.html", "live/team_now_live.html", context)


@login_required
def team_list(request):
    """The teams a person may watch; with only one, straight to its "ours now"."""
    teams = list(permissions.teams_watched_by(request.user))
    if len(teams) == 1:
        return redirect("team-now", team_id=teams[0].pk)
    return render(request, "live/teams.html", {"teams": teams})
