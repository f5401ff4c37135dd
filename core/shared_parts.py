"""Page parts that many readers see alike: rendered once for what they show, then kept.

A crisis puts thirty people in one war room and every executive on the cockpit, and each change
makes all their pages ask for their parts again at once. A part is rendered once for its stamp:
what it shows as of which change (an incident's last timeline entry, say), and whatever about
the reader changes it (their rights, their language and time zone, which are always added). The
next reader with the same stamp gets the same HTML. A change moves the stamp, so nobody is given
a part older than the change that made their page ask; what no stamp covers (a person's or a
team's new name) is kept at most `seconds`.

Parts render without the request: no context processor runs, so nothing of one reader (their
name, their unread notices) can be kept for another. A part's forms carry a placeholder for the
CSRF token, which each reader's own replaces on the way out. Each process keeps its own parts
(`CACHES["parts"]`), so nothing is shared across machines and a Redis outage changes nothing.

A part may itself be made of pieces kept the same way (the cockpit's card of one incident, a
register row): a change then renders the pieces it moved, not the whole part. Pieces are many and
small, so they are kept apart (`CACHES["pieces"]`), where thousands of them do not push the few
large parts out.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

CACHE = "parts"
PIECES = "pieces"
# What a kept part's forms carry where the reader's CSRF token goes: nothing a page could contain.
TOKEN_PLACEHOLDER = "csrf-token-placeholder-0d7c1f"


def render_part(
    request, template_name: str, stamp: tuple | None, context: Callable[[], dict], *, seconds: int
) -> SafeString:
    """The part for this stamp, kept or rendered now from `context()` (called only then); with no
    stamp (a page showing one reader's failed action, say) rendered now and not kept."""
    html = _kept_template(template_name, stamp, context, seconds=seconds, cache=CACHE)
    return mark_safe(html.replace(TOKEN_PLACEHOLDER, get_token(request)))  # noqa: S308 - rendered


def kept_piece(template_name: str, stamp: tuple, context: Callable[[], dict], *, seconds: int) -> SafeString:
    """A piece of a part (the cockpit's card of one incident), kept for its stamp among the pieces;
    its forms keep the placeholder, which the part's reader's token replaces."""
    return mark_safe(_kept_template(template_name, stamp, context, seconds=seconds, cache=PIECES))  # noqa: S308


def _kept_template(
    template_name: str, stamp: tuple | None, context: Callable[[], dict], *, seconds: int, cache: str
) -> str:
    return kept(
        template_name,
        stamp,
        lambda: render_to_string(template_name, {**context(), "csrf_token": TOKEN_PLACEHOLDER}),
        seconds=seconds,
        cache=cache,
    )


def kept(name: str, stamp: tuple | None, render: Callable[[], str], *, seconds: int, cache: str) -> str:
    """The HTML `render()` makes for this name and stamp, kept (a form widget of many options)."""
    key = None if stamp is None else _key(name, stamp)
    html = None if key is None else caches[cache].get(key)
    if html is None:
        html = render()
        if key is not None:
            caches[cache].set(key, html, seconds)
    return html


def forget_all() -> None:
    """Every kept part and piece of this process gone (a test's, a benchmark's "rendered anew")."""
    caches[CACHE].clear()
    caches[PIECES].clear()


def _key(template_name: str, stamp: tuple) -> str:
    reader = (translation.get_language(), timezone.get_current_timezone_name())
    return "part:" + hashlib.sha256(repr((template_name, reader, stamp)).encode()).hexdigest()
