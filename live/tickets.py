"""Single-use WebSocket tickets, for clients that have no session cookie (scripts, other systems).

A ticket is a random key in Redis holding the person's id, expiring by itself; redeeming it is
one GETDEL, so two connections racing with the same ticket cannot both get in.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.utils import timezone

from core.redis_store import redis_store

TICKET_LIFETIME = dt.timedelta(seconds=60)
KEY_PREFIX = "riskops:ws-ticket:"


@dataclass(frozen=True)
class Ticket:
    ticket: str
    expires_at: dt.datetime


def ticket_issue(*, user_id: int, now: dt.datetime | None = None) -> Ticket:
    ticket = secrets.token_urlsafe(32)
    redis_store().set(KEY_PREFIX + ticket, user_id, ex=TICKET_LIFETIME, nx=True)
    return Ticket(ticket=ticket, expires_at=(now or timezone.now()) + TICKET_LIFETIME)


def ticket_redeem(*, ticket: str) -> int | None:
    """The id of the person the ticket was issued to, once; None if unknown, used or expired."""
    if not ticket or len(ticket) > 100:
        return None
    user_id = redis_store().getdel(KEY_PREFIX + ticket)
    return int(user_id) if user_id is not None else None
