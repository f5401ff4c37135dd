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
from people.models import Team


def _render(request, template: str, part: str, context: dict):
    return render(request, part if request.GET.get("part") == "live" else template, context)


@login_required
def dashboard(request):
    if not permissions.may_watch_dashboard(request.user):
        raise PermissionDenied
    incidents = list(selectors.live_incidents(now=timezone.now()))
    # The headline figures are real incidents only; drills are counted apart, as their own figure.
    real = [incident for incident in incidents if not incident.drill]
    drills = [incident for incident in incidents if incident.drill]
    return _render(
        request,
        "live/dashboard.html",
        "live/dashboard_incidents.html",
        {
            "incidents": incidents,
            "real_total": len(real),
            "overdue_total": sum(incident.overdue_tasks for incident in real),
            "escalation_total": sum(incident.executive_escalations for incident in real),
            "drill_total": len(drills),
            "drill_overdue_total": sum(incident.overdue_tasks for incident in drills),
            "stream": "/ws/dashboard/",
        },
    )


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
