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
CSRF token, which each reader's own replaces on the way out.

A part is kept twice: in the memory of each process that served it (`CACHES["parts"]`) and in
Redis, where the first process to render it leaves it for the others, so N processes render a
part once per change, not N times. After a change, a live event sends every open page after its
parts at once: one reader renders each part while the others, in any process, wait for it (at
most WAIT_SECONDS, then they render it too). With Redis unreachable, each process renders its
own, as it would alone, and asks Redis again after REDIS_PAUSE_SECONDS.

A part may itself be made of pieces kept the same way (the cockpit's card of one incident, a
register row): a change then renders the pieces it moved, not the whole part. Pieces are many and
small, so they are kept apart (`CACHES["pieces"]`), where thousands of them do not push the few
large parts out.
"""

import hashlib
import time
from collections.abc import Callable

import redis
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core.redis_store import redis_store

CACHE = "parts"
PIECES = "pieces"
# What a kept part's forms carry where the reader's CSRF token goes: nothing a page could contain.
TOKEN_PLACEHOLDER = "csrf-token-placeholder-0d7c1f"
SHARED_PREFIX = "riskops:part:"
RENDERING_PREFIX = "riskops:part-rendering:"
# A reader finding a part being rendered elsewhere waits for it this long at most, looking every
# POLL_SECONDS; a renderer that died frees the part after RENDERING_SECONDS.
WAIT_SECONDS = 1.0
POLL_SECONDS = 0.005
RENDERING_SECONDS = 2
# Redis unreachable: parts are rendered in each process, and Redis asked again after this long.
REDIS_PAUSE_SECONDS = 5.0
_redis_paused_until = 0.0


def render_part(
    request, template_name: str, stamp: tuple | None, context: Callable[[], dict], *, seconds: int
) -> SafeString:
    """The part for this stamp, kept or rendered now from `context()` (called only then); with no
    stamp (a page showing one reader's failed action, say) rendered now and not kept."""
    html = _kept_template(template_name, stamp, context, seconds=seconds, cache=CACHE)
    return mark_safe(html.replace(TOKEN_PLACEHOLDER, _token(request)))  # noqa: S308 - rendered


def _token(request) -> str:
    """The reader's CSRF token, masked once for all the parts of their page (as Django's template
    context does for one template): each masking draws 32 random characters from the system."""
    if not hasattr(request, "_parts_csrf_token"):
        request._parts_csrf_token = get_token(request)
    return request._parts_csrf_token


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
    """The HTML `render()` makes for this name and stamp, kept (a form widget of many options);
    parts are kept for every process, pieces for this one."""
    if stamp is None:
        return render()
    key = _key(name, stamp)
    html = caches[cache].get(key)
    if html is None:
        if cache == CACHE:
            html, seconds = _shared(key, render, seconds)
        else:
            html = render()
        caches[cache].set(key, html, seconds)
    return html


def _shared(key: str, render: Callable[[], str], seconds: int) -> tuple[str, float]:
    """The part as another process left it in Redis, or rendered here (waiting first if another
    reader is rendering it) and left there; with how long it is still to be kept."""
    global _redis_paused_until
    if time.monotonic() < _redis_paused_until:
        return render(), seconds
    store = redis_store()
    try:
        found = _found(store, key)
        if found is None and not store.set(RENDERING_PREFIX + key, 1, nx=True, ex=RENDERING_SECONDS):
            found = _awaited(store, key)
        if found is not None:
            return found
        try:
            html = render()
            store.set(SHARED_PREFIX + key, html.encode(), ex=seconds)
        finally:  # a render that failed does not keep the others waiting
            store.delete(RENDERING_PREFIX + key)
    except redis.RedisError:
        _redis_paused_until = time.monotonic() + REDIS_PAUSE_SECONDS
        return render(), seconds
    return html, seconds


def _found(store: redis.Redis, key: str) -> tuple[str, float] | None:
    name = SHARED_PREFIX + key
    html, left_ms = store.pipeline(transaction=False).get(name).pttl(name).execute()
    return None if html is None or left_ms <= 0 else (html.decode(), left_ms / 1000)


def _awaited(store: redis.Redis, key: str) -> tuple[str, float] | None:
    """The part another reader is rendering, once they left it; None if it took too long."""
    give_up = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < give_up:
        time.sleep(POLL_SECONDS)
        if (found := _found(store, key)) is not None:
            return found
    return None


def forget_all() -> None:
    """Every kept part and piece gone, in this process and Redis (a test's, a benchmark's
    "rendered anew")."""
    global _redis_paused_until
    caches[CACHE].clear()
    caches[PIECES].clear()
    _redis_paused_until = 0.0
    try:
        store = redis_store()
        if keys := list(store.scan_iter(match=SHARED_PREFIX + "*", count=1000)):
            store.delete(*keys)
    except redis.RedisError:
        pass  # Redis gone, and with it what it kept


def _key(template_name: str, stamp: tuple) -> str:
    reader = (translation.get_language(), timezone.get_current_timezone_name())
    return "part:" + hashlib.sha256(repr((template_name, reader, stamp)).encode()).hexdigest()
