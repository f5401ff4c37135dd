"""Following incidents: a person follows one they may see, and its followers hear each status update."""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents import happenings, selectors
from incidents.models import Incident, TimelineEntry
from notifications import selectors as notification_selectors
from notifications.services import Message, notify_all, subscription_follow


def incident_follow(*, incident_id: int, user, email: bool = True, chat: bool = False, drills: bool = False):
    """The person follows the incident; one they may not see cannot be followed (nor told apart
    from one that does not exist)."""
    if not selectors.incidents_visible_to(user).filter(pk=incident_id).exists():
        raise ValidationError({"incident": [_("There is no incident with this number that you may see.")]})
    return subscription_follow(
        user=user, by=user, incident_id=incident_id, email=email, chat=chat, drills=drills
    )


def followers_tell(*, incident: Incident, entry: TimelineEntry, by) -> None:
    """Each follower who may see the incident hears the update once, whatever number of their
    subscriptions match; never its poster; a drill's only those who asked for drills (marked DRILL)."""
    followers = notification_selectors.subscribers(
        incident_id=incident.pk, severity=incident.severity, drill=incident.drill
    )
    followers.pop(by, None)
    people = selectors.people_who_may_see(incident=incident, people=followers)
    if not people:
        return
    lines = [entry.data.get("body", "")]
    if entry.data.get("impact") and entry.data["impact"] != lines[0]:
        lines.append(format_lazy(_("Impact: {impact}"), impact=entry.data["impact"]))
    notify_all(
        [
            Message(
                recipients=people,
                kind=happenings.STATUS_UPDATE.notification,
                title=format_lazy(_("Status update: {incident}"), incident=incident.reader_title),
                body=format_lazy("\n".join("{}" for _line in lines), *lines),
                url=f"/status/{incident.pk}/",
                incident_id=incident.pk,
                tag=f"SEV{incident.severity}",
                drill=incident.drill,
                participants=frozenset(person.pk for person in people),
                channels={person.pk: followers[person] for person in people},
            )
        ]
    )
