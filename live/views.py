"""The pages that update themselves: the executive dashboard and a team's "what is ours now".

Each page is rendered whole once; afterwards its script asks for `?part=live` (the same
template's live part, rendered by the same selectors) whenever its stream says something
changed, so the page never disagrees with the detail pages.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString

from core import shared_parts
from live import permissions, selectors
from live.cockpit import card_stamp, cockpit_incidents, cockpit_stamp
from people.models import Team
from risks import attention

# The cockpit names the top few risks above appetite and overdue reviews; the register has them all.
COCKPIT_SHOWN = 5
# The cockpit's parts are kept by what they show (core/shared_parts.py); what only the clock moves
# (a task falling late, a tier's bar, a review falling due) shows within this long.
PART_SECONDS = 10
# An incident's card is kept by what it shows (live.cockpit.card_stamp), at most this long.
CARD_SECONDS = 60


def _render(request, template: str, part: str, context: dict):
    return render(request, part if request.GET.get("part") == "live" else template, context)


@login_required
def dashboard(request):
    if not permissions.may_watch_dashboard(request.user):
        raise PermissionDenied
    changed, audited = cockpit_stamp()
    live = shared_parts.render_part(
        request,
        "live/dashboard_incidents.html",
        (changed, audited),
        lambda: _cockpit_incidents(audited),
        seconds=PART_SECONDS,
    )
    if request.GET.get("part") == "live":
        return HttpResponse(live)
    # Not live-updated: its register shortlists as of the last audit entry; its KRIs and trends as
    # of when it was rendered, at most PART_SECONDS ago.
    overview = shared_parts.render_part(
        request, "live/cockpit_overview.html", (audited,), _cockpit_overview, seconds=PART_SECONDS
    )
    context = {"live": live, "overview": overview, "stream": "/ws/dashboard/"}
    return render(request, "live/dashboard.html", context)


def _cockpit_incidents(audited) -> dict:
    # The headline figures are real incidents only; drills are counted apart, as their own figure.
    real, drills = cockpit_incidents(now=timezone.now())
    return {
        "real": [_card(row, audited) for row in real],
        "drills": [_card(row, audited) for row in drills],
        "overdue_total": sum(row.incident.overdue_tasks for row in real),
        "escalation_total": sum(row.incident.executive_escalations for row in real),
        "drill_overdue_total": sum(row.incident.overdue_tasks for row in drills),
    }


def _card(row, audited) -> SafeString:
    """One incident's card, kept until it changes: a change to one incident renders its card alone."""
    return shared_parts.kept_piece(
        "live/cockpit_incident.html", card_stamp(row, audited), lambda: {"row": row}, seconds=CARD_SECONDS
    )


def _cockpit_overview() -> dict:
    now = timezone.now()
    return {
        "reviews_overdue": attention.reviews_overdue(now=now, shown=COCKPIT_SHOWN),
        "above_appetite": attention.above_appetite(now=now, shown=COCKPIT_SHOWN),
    }


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
