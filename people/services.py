"""Writes to people and teams, each with its audit entry."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from people.models import Membership, Team, User

TEAM_FIELDS = ["slug", "name", "escalation_contact"]


@transaction.atomic
def user_create(
    *,
    by,
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
    audit_record(user, by=by, action=AuditAction.CREATED)
    for team in teams:
        membership = Membership.objects.create(team=team, user=user)
        audit_record(membership, by=by, action=AuditAction.CREATED)
    return user


@transaction.atomic
def user_update_preferences(
    *, user: User, by, timezone: str | None = None, language: str | None = None
) -> User:
    before = audit_values(user)
    if timezone is not None:
        user.timezone = timezone
    if language is not None:
        user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["timezone", "language"])
    audit_record(user, by=by, action=AuditAction.UPDATED, before=before)
    return user


@transaction.atomic
def user_change_password(*, user: User, by, password: str) -> None:
    validate_password(password, user)
    before = audit_values(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(user, by=by, action=AuditAction.UPDATED, before=before)


@transaction.atomic
def team_create(*, by, slug: str, name: str, escalation_contact: User | None = None) -> Team:
    team = Team.objects.create(slug=slug, name=name, escalation_contact=escalation_contact)
    audit_record(team, by=by, action=AuditAction.CREATED)
    return team


@transaction.atomic
def team_update(*, team: Team, by, changes: dict) -> Team:
    before = audit_values(team)
    for field in TEAM_FIELDS:
        if field in changes:
            setattr(team, field, changes[field])
    team.save()
    audit_record(team, by=by, action=AuditAction.UPDATED, before=before)
    return team


@transaction.atomic
def team_delete(*, team: Team, by) -> None:
    """Deletes a team and its memberships; a team a playbook names is protected and stays."""
    for membership in team.memberships.all():
        audit_record(membership, by=by, action=AuditAction.DELETED)
    audit_record(team, by=by, action=AuditAction.DELETED)
    team.delete()


@transaction.atomic
def team_add_member(*, team: Team, by, user: User) -> Membership:
    membership, created = Membership.objects.get_or_create(team=team, user=user)
    if created:
        audit_record(membership, by=by, action=AuditAction.CREATED)
    return membership
