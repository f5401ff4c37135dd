"""Writes to people and teams."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from people.models import Membership, Team, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    email: str = "",
    role: str,
    teams: list[Team] = (),
    timezone: str = "UTC",
    language: str = "en",
    first_name: str = "",
    last_name: str = "",
) -> User:
    user = User(
        username=username,
        email=email,
        role=role,
        timezone=timezone,
        language=language,
        first_name=first_name,
        last_name=last_name,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    for team in teams:
        Membership.objects.create(team=team, user=user)
    return user


def user_update_preferences(*, user: User, timezone: str | None = None, language: str | None = None) -> User:
    if timezone is not None:
        user.timezone = timezone
    if language is not None:
        user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["timezone", "language"])
    return user


def user_change_password(*, user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def team_add_member(*, team: Team, user: User) -> Membership:
    membership, _ = Membership.objects.get_or_create(team=team, user=user)
    return membership
