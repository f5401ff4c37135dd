"""Reads: a person's inbox, their preferences, and where a notification should go."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from notifications.kinds import DEFAULT_EMAIL, DEFAULT_WEBHOOK, KINDS
from notifications.models import (
    Delivery,
    DeliveryState,
    DrillChoice,
    DrillPreference,
    Notification,
    Preference,
    Subscription,
    SubscriptionScope,
    WebhookEndpoint,
)
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

    def chosen(self, channels: dict[int, frozenset[str]]) -> "Routes":
        """Only what each person chose for a subscription: e-mail, and their own chat webhooks."""
        return Routes(
            email={pk for pk in self.email if "email" in channels.get(pk, ())},
            webhooks=[
                (endpoint, pk)
                for endpoint, pk in self.webhooks
                if endpoint.user_id == pk and "chat" in channels.get(pk, ())
            ],
        )


class RouteBook:
    """Where notifications go besides the inbox, for many notifications at once: the people's
    preferences, their teams' webhooks and their own are read once, whatever the number of
    notifications asked about afterwards."""

    def __init__(self, *, people: Sequence[User], kinds: Iterable[str]):
        self.preferences = {
            (preference.user_id, preference.kind): preference
            for preference in Preference.objects.filter(user__in=people, kind__in=set(kinds))
        }
        self.teams_of: dict[int, set[int]] = defaultdict(set)
        memberships = Membership.objects.filter(user__in=people, team__webhook_endpoints__active=True)
        for team_id, user_id in memberships.values_list("team_id", "user_id").distinct():
            self.teams_of[user_id].add(team_id)
        team_ids = set().union(*self.teams_of.values())
        self.endpoints = list(
            WebhookEndpoint.objects.filter(active=True)
            .filter(Q(user__in=people) | Q(team__in=team_ids))
            .order_by("id")
        )

    def wants(self, person: User, kind: str, channel: str, default: bool) -> bool:
        preference = self.preferences.get((person.pk, kind))
        return getattr(preference, channel) if preference else default

    def routes(self, *, people: Sequence[User], kind: str) -> Routes:
        """E-mail per the people's preferences; their own webhooks per their preferences; and each
        team webhook once, carrying the copy of the first of the people who belongs to the team."""
        email = {
            person.pk
            for person in people
            if person.email and self.wants(person, kind, "email", DEFAULT_EMAIL)
        }
        first_member_of_team: dict[int, int] = {}
        for person in people:
            for team_id in self.teams_of.get(person.pk, ()):
                first_member_of_team.setdefault(team_id, person.pk)
        people_by_id = {person.pk: person for person in people}
        webhooks = []
        for endpoint in self.endpoints:
            if not endpoint.wants(kind):
                continue
            if endpoint.team_id is not None:
                if endpoint.team_id in first_member_of_team:
                    webhooks.append((endpoint, first_member_of_team[endpoint.team_id]))
            elif endpoint.user_id in people_by_id and self.wants(
                people_by_id[endpoint.user_id], kind, "webhook", DEFAULT_WEBHOOK
            ):
                webhooks.append((endpoint, endpoint.user_id))
        return Routes(email=email, webhooks=webhooks)


def drill_choice_for(*, user: User) -> str:
    return (
        DrillPreference.objects.filter(user=user).values_list("choice", flat=True).first()
        or DrillChoice.IN_APP
    )


class DrillBook:
    """Who hears about a drill, and how: each person's drill preference, read once for many messages.

    In-app and chat (no choice made): the people the drill names (its RACI and commander), not by
    e-mail. All channels: whenever a drill tells them, e-mail included. None: never.
    """

    def __init__(self, *, people: Sequence[User]):
        self.choices = dict(DrillPreference.objects.filter(user__in=people).values_list("user_id", "choice"))

    def choice(self, person: User) -> str:
        return self.choices.get(person.pk, DrillChoice.IN_APP)

    def audience(self, message, people: list[User]) -> list[User]:
        if not message.drill:
            return people
        return [
            person
            for person in people
            if self.choice(person) == DrillChoice.ALL
            or (self.choice(person) == DrillChoice.IN_APP and person.pk in message.participants)
        ]

    def email(self, message, person_ids: set[int]) -> set[int]:
        """Of the people the preferences would e-mail, those a drill may e-mail (all for a real incident)."""
        if not message.drill or message.channels is not None:
            return person_ids  # a subscriber who asked for drills chose the channels of them too
        return {pk for pk in person_ids if self.choices.get(pk) == DrillChoice.ALL}


def deliveries_failed(*, since) -> QuerySet[Delivery]:
    """Deliveries that gave up since then, newest first, with what they carried and where."""
    return Delivery.objects.filter(state=DeliveryState.FAILED, created_at__gte=since).select_related(
        "notification__recipient", "endpoint"
    )


def subscriptions_of(*, user: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).order_by("scope", "severity", "incident_id")


def _chat_routes(user) -> QuerySet[WebhookEndpoint]:
    """The person's own active chat webhooks, where a subscription's chat copy goes."""
    return WebhookEndpoint.objects.filter(user=user, active=True)


def has_chat_route(*, user: User) -> bool:
    """Whether the person has a chat webhook of their own, where a subscription's chat copy goes."""
    return _chat_routes(user).exists()


def following(*, user: User, incident_id: int) -> tuple[int | None, bool]:
    """The person's subscription to the incident (its id, or None), and whether they have a chat
    webhook of their own for its updates: one query, as every war room asks for both."""
    return (
        User.objects.filter(pk=user.pk)
        .values_list(
            Subquery(
                Subscription.objects.filter(
                    user=OuterRef("pk"), scope=SubscriptionScope.INCIDENT, incident_id=incident_id
                ).values("pk")[:1]
            ),
            Exists(_chat_routes(OuterRef("pk"))),
        )
        .get()
    )


def unreachable(*, people: Iterable[User]) -> set[int]:
    """Of these people, the ids of those nothing can reach besides the in-app inbox they may not be
    looking at: no e-mail address and no active chat webhook of their own, or no longer active."""
    people = list(people)
    with_chat = set(
        WebhookEndpoint.objects.filter(user__in=people, active=True).values_list("user_id", flat=True)
    )
    return {
        person.pk for person in people if not person.is_active or not (person.email or person.pk in with_chat)
    }


def subscribers(*, incident_id: int, severity: int, drill: bool) -> dict[User, frozenset[str]]:
    """The active people following the incident (it, its severity, or everything), each once, with
    the channels any of their matching subscriptions chose besides in-app. A drill's followers are
    only those of them who asked for drills."""
    matching = Subscription.objects.filter(
        Q(scope=SubscriptionScope.INCIDENT, incident_id=incident_id)
        | Q(scope=SubscriptionScope.SEVERITY, severity=severity)
        | Q(scope=SubscriptionScope.EVERYTHING),
        user__is_active=True,
    ).select_related("user")
    if drill:
        matching = matching.filter(drills=True)
    channels: dict[User, set[str]] = defaultdict(set)
    for subscription in matching:
        chosen = channels[subscription.user]
        chosen |= {"email"} if subscription.email else set()
        chosen |= {"chat"} if subscription.chat else set()
    return {person: frozenset(chosen) for person, chosen in channels.items()}
