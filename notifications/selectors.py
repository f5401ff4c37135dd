"""Reads: a person's inbox, their preferences, and where a notification should go."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from notifications.kinds import DEFAULT_EMAIL, DEFAULT_WEBHOOK, KINDS
from notifications.models import Notification, Preference, WebhookEndpoint
from people.models import Membership, User


def notifications_for(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """The person's own notifications, newest first."""
    queryset = Notification.objects.filter(recipient=user)
    if unread:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def notification_get(*, user: User, notification_id: int) -> Notification:
    """One of the person's own notifications; anyone else's is a 404, never a 403."""
    return get_object_or_404(Notification, pk=notification_id, recipient=user)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class KindPreference:
    kind: str
    label: str
    email: bool
    webhook: bool


def preferences_for(*, user: User) -> list[KindPreference]:
    """Every known kind with the person's choice, or the defaults where they made none."""
    stored = {preference.kind: preference for preference in Preference.objects.filter(user=user)}
    return [_kind_preference(kind, stored.get(kind)) for kind in KINDS]


def preference_for(*, user: User, kind: str) -> KindPreference:
    """The person's choice for one known kind; an unknown kind is a 404."""
    if kind not in KINDS:
        raise Http404
    return _kind_preference(kind, Preference.objects.filter(user=user, kind=kind).first())


def _kind_preference(kind: str, preference: Preference | None) -> KindPreference:
    return KindPreference(
        kind=kind,
        label=str(KINDS[kind]),
        email=preference.email if preference else DEFAULT_EMAIL,
        webhook=preference.webhook if preference else DEFAULT_WEBHOOK,
    )


@dataclass(frozen=True)
class Routes:
    """Where one notification goes besides the inbox."""

    email: set[int]  # ids of the people to e-mail
    webhooks: list[tuple[WebhookEndpoint, int]]  # each endpoint once, with the person whose copy it posts


def routes_for(*, people: Sequence[User], kind: str) -> Routes:
    """E-mail per the people's preferences; their own webhooks per their preferences; and each
    team webhook once, carrying the copy of the first of the people who belongs to the team."""
    stored = {
        preference.user_id: preference for preference in Preference.objects.filter(user__in=people, kind=kind)
    }

    def wants(person: User, channel: str, default: bool) -> bool:
        preference = stored.get(person.pk)
        return getattr(preference, channel) if preference else default

    email = {person.pk for person in people if person.email and wants(person, "email", DEFAULT_EMAIL)}

    first_member_of_team: dict[int, int] = {}
    order = {person.pk: index for index, person in enumerate(people)}
    memberships = Membership.objects.filter(user__in=people, team__webhook_endpoints__active=True)
    for team_id, user_id in memberships.values_list("team_id", "user_id").distinct():
        current = first_member_of_team.get(team_id)
        if current is None or order[user_id] < order[current]:
            first_member_of_team[team_id] = user_id

    endpoints = WebhookEndpoint.objects.filter(active=True).filter(
        Q(user__in=people) | Q(team__in=list(first_member_of_team))
    )
    people_by_id = {person.pk: person for person in people}
    webhooks = []
    for endpoint in endpoints.order_by("id"):
        if not endpoint.wants(kind):
            continue
        if endpoint.team_id is not None:
            webhooks.append((endpoint, first_member_of_team[endpoint.team_id]))
        elif wants(people_by_id[endpoint.user_id], "webhook", DEFAULT_WEBHOOK):
            webhooks.append((endpoint, endpoint.user_id))
    return Routes(email=email, webhooks=webhooks)
