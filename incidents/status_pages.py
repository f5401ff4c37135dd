"""The internal status page: what anyone who may see an incident reads about it (its published
updates, state, tier, impact, elapsed time), without the task board; and the people who follow it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from incidents import happenings, selectors, telling
from incidents.models import Incident
from incidents.services import incident_follow
from incidents.transitions import LIVE_STATUSES
from notifications import selectors as notification_selectors
from notifications.models import SubscriptionScope
from notifications.services import subscription_stop


def _followed(user) -> dict[int, int]:
    """Incident id → the person's subscription to it."""
    subscriptions = notification_selectors.subscriptions_of(user=user)
    return dict(subscriptions.filter(scope=SubscriptionScope.INCIDENT).values_list("incident_id", "pk"))


@login_required
def status_index(request):
    """Every live incident the person may see: real ones first, drills apart."""
    incidents = list(selectors.incident_list(user=request.user).filter(status__in=LIVE_STATUSES))
    latest = telling.latest_updates(incident.pk for incident in incidents)
    followed = _followed(request.user)
    for incident in incidents:
        incident.latest = latest.get(incident.pk)
        incident.followed = incident.pk in followed
    groups = [
        (group, rows)
        for group, rows in (
            ("real", [incident for incident in incidents if not incident.drill]),
            ("drills", [incident for incident in incidents if incident.drill]),
        )
        if rows
    ]
    # Refreshed on the dashboard's stream (those who may watch it); `?part=list` is the list alone.
    part = "list" if request.GET.get("part") == "list" else "index"
    return render(
        request, f"incidents/status/{part}.html", {"groups": groups, "streams": request.user.sees_everything}
    )


def _status_context(request, incident_id: int) -> dict:
    try:
        incident = selectors.incident_list(user=request.user).get(pk=incident_id)
    except Incident.DoesNotExist as error:
        raise Http404 from error
    updates = list(
        selectors.incident_timeline(incident=incident, type=happenings.STATUS_UPDATE.timeline)
        .select_related("actor")
        .order_by("-seq")
    )
    impact = next((update.data["impact"] for update in updates if update.data.get("impact")), "")
    return {
        "incident": incident,
        "updates": updates,
        "impact": impact,
        "is_live": incident.status in LIVE_STATUSES,
        **follow_context(request.user, incident),
    }


def follow_context(user, incident: Incident) -> dict:
    """What the Follow control shows: whether the person follows it, and whether they have a chat."""
    subscription_id, has_chat = notification_selectors.following(user=user, incident_id=incident.pk)
    return {"subscription_id": subscription_id, "has_chat": has_chat}


@login_required
def status_detail(request, incident_id: int):
    return render(request, "incidents/status/detail.html", _status_context(request, incident_id))


@login_required
def status_fragment(request, incident_id: int):
    """The page's updatable part alone, swapped in on a live event."""
    return render(request, "incidents/status/summary.html", _status_context(request, incident_id))


@login_required
@require_POST
def status_follow(request, incident_id: int):
    """Follow (or, with `stop`, stop following) the incident; then back where the person was."""
    subscription_id = _followed(request.user).get(incident_id)
    if request.POST.get("stop") and subscription_id:
        subscription_stop(user=request.user, by=request.user, subscription_id=subscription_id)
    elif not request.POST.get("stop"):
        incident = get_object_or_404(selectors.incidents_visible_to(request.user), pk=incident_id)
        # Following a drill by name is asking for that drill's updates.
        incident_follow(
            incident_id=incident.pk,
            user=request.user,
            email=bool(request.POST.get("email")),
            chat=bool(request.POST.get("chat")),
            drills=incident.drill,
        )
    back = "incident-detail" if request.POST.get("from") == "war-room" else "status-detail"
    return redirect(back, incident_id=incident_id)
