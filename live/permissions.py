"""Who may watch which live stream and page: an incident's, a team's, the executive dashboard."""

from core.permissions import may_see_everything
from incidents.selectors import incidents_visible_to
from people.models import Membership, Team, User


def may_watch_incident(user: User, incident_id: int) -> bool:
    return incidents_visible_to(user).filter(pk=incident_id).exists()


def may_watch_team(user: User, team_id: int) -> bool:
    """Its members, and those who see everything."""
    if not Team.objects.filter(pk=team_id).exists():
        return False
    return may_see_everything(user) or Membership.objects.filter(team_id=team_id, user=user).exists()


def teams_watched_by(user: User):
    """The teams whose "ours now" page the person may watch: all for those who see everything."""
    teams = Team.objects.order_by("name")
    return teams if may_see_everything(user) else teams.filter(memberships__user=user)


def may_watch_dashboard(user: User) -> bool:
    """Executives, administrators and risk officers."""
    return may_see_everything(user)
