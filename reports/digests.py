"""Writes of the executive digest: who receives it and when, sending each due person's digest once
per local day (the Digest row claimed by a conditional update), and sending it now on request."""

import datetime as dt
import logging
import zoneinfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from audit.models import AuditAction
from audit.recording import audit_record, audit_values
from notifications.models import DrillChoice, Notification
from notifications.selectors import DrillBook
from notifications.services import notify
from people.models import Role, User
from reports.digest import digest_build
from reports.digest_wording import digest_subject, digest_text
from reports.models import Digest

logger = logging.getLogger(__name__)

# The first digest tells what changed over the day before it.
FIRST_LOOK_BACK = dt.timedelta(days=1)


def receives_by_default(user: User) -> bool:
    """Who receives the daily digest without having chosen: the executives."""
    return user.role == Role.EXECUTIVE


def digest_settings(*, user: User) -> Digest:
    """The person's digest row, or an unsaved one with the defaults."""
    try:
        return user.digest
    except Digest.DoesNotExist:
        return Digest(user=user, enabled=receives_by_default(user))


@transaction.atomic
def digest_preference_set(*, user: User, by, enabled: bool, hour: int) -> Digest:
    """Turns the person's daily digest on or off and sets its local hour (0–23)."""
    digest, created = Digest.objects.select_for_update().get_or_create(
        user=user, defaults={"enabled": receives_by_default(user)}
    )
    before = None if created else audit_values(digest)
    digest.enabled, digest.hour = enabled, hour
    digest.full_clean()
    digest.save(update_fields=["enabled", "hour"])
    audit_record(digest, by=by, action=AuditAction.CREATED if created else AuditAction.UPDATED, before=before)
    return digest


def _recipients():
    wanted = Q(digest__enabled=True) | Q(digest__isnull=True, role=Role.EXECUTIVE)
    return User.objects.filter(wanted, is_active=True).exclude(email="").select_related("digest")


def _local_day(user: User, now: dt.datetime, hour: int) -> dt.date | None:
    """The recipient's local day if their digest hour has come on it, else None."""
    local = now.astimezone(zoneinfo.ZoneInfo(user.timezone))
    return local.date() if local.hour >= hour else None


def digests_send_due(*, now: dt.datetime) -> list[int]:
    """Sends the digest of everyone whose local hour has come today and who has not had today's;
    returns their ids. Run by beat every few minutes: each person's day is claimed once."""
    people = list(_recipients())
    drills = DrillBook(people=people)
    sent = []
    for person in people:
        digest = digest_settings(user=person)
        day = _local_day(person, now, digest.hour)
        if day is None or (digest.last_day is not None and digest.last_day >= day):
            continue
        try:
            if _send_scheduled(
                person=person, day=day, now=now, with_drills=drills.choice(person) == DrillChoice.ALL
            ):
                sent.append(person.pk)
        except Exception:  # one person's failure must not hold up everyone else's digest
            logger.exception("the digest of person %s could not be sent", person.pk)
    return sent


@transaction.atomic
def _send_scheduled(*, person: User, day: dt.date, now: dt.datetime, with_drills: bool) -> bool:
    """Claims the person's day with a conditional update and, only if it was ours, tells them."""
    digest, _created = Digest.objects.get_or_create(
        user=person, defaults={"enabled": receives_by_default(person)}
    )
    since = digest.last_sent_at or now - FIRST_LOOK_BACK
    claimed = Digest.objects.filter(
        Q(last_day__isnull=True) | Q(last_day__lt=day), pk=digest.pk, enabled=True
    ).update(last_day=day, last_sent_at=now)
    if claimed:
        _tell(person=person, now=now, since=since, with_drills=with_drills)
    return bool(claimed)


def digest_send_now(*, user: User, now: dt.datetime) -> Notification | None:
    """The person's digest at once, on request; the day's scheduled one still comes."""
    since = digest_settings(user=user).last_sent_at or now - FIRST_LOOK_BACK
    with_drills = DrillBook(people=[user]).choice(user) == DrillChoice.ALL
    told = _tell(person=user, now=now, since=since, with_drills=with_drills)
    return told[0] if told else None


def _tell(*, person: User, now: dt.datetime, since: dt.datetime, with_drills: bool) -> list[Notification]:
    with translation.override(person.language), timezone.override(person.timezone):
        digest = digest_build(now=now, since=since, with_drills=with_drills)
        subject, body = digest_subject(digest), digest_text(digest)
    return notify(recipients=[person], kind="digest", title=subject, body=body, url="/dashboard/")
