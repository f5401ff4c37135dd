"""Page parts kept for every process (core/shared_parts.py), in the suite's real Redis: rendered
once for a stamp whichever process asks, one reader rendering while the others wait, kept in a
process no longer than Redis keeps them, and each process rendering its own while Redis is away."""

import threading
import time

import pytest
import redis
from django.core.cache import caches

from core import shared_parts
from riskops.embedded_redis import free_port

HTML = "<p>part</p>"


class Part:
    """A part's render, counting its calls; each call takes `seconds`."""

    def __init__(self, seconds: float = 0.0):
        self.calls = 0
        self.seconds = seconds

    def __call__(self) -> str:
        self.calls += 1
        time.sleep(self.seconds)
        return HTML


def ask(render, *, stamp=(1,), cache=shared_parts.CACHE, seconds=60) -> str:
    return shared_parts.kept("a part", stamp, render, seconds=seconds, cache=cache)


def another_process() -> None:
    """What another process has in its memory: none of this one's parts and pieces."""
    caches[shared_parts.CACHE].clear()
    caches[shared_parts.PIECES].clear()


def test_a_part_one_process_rendered_is_not_rendered_by_another():
    part = Part()
    assert ask(part) == HTML
    another_process()
    assert ask(part) == HTML
    assert part.calls == 1
    assert ask(part, stamp=(2,)) == HTML  # a change moved the stamp
    assert part.calls == 2


def test_pieces_are_kept_by_each_process_alone():
    piece = Part()
    ask(piece, cache=shared_parts.PIECES)
    another_process()
    ask(piece, cache=shared_parts.PIECES)
    assert piece.calls == 2


def test_readers_asking_at_once_wait_for_the_one_rendering_it():
    part, pages = Part(seconds=0.3), []
    start = threading.Barrier(4)

    def reader():
        start.wait()
        pages.append(ask(part))

    readers = [threading.Thread(target=reader) for _ in range(4)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert pages == [HTML] * 4
    assert part.calls == 1


def test_a_reader_renders_it_itself_when_the_one_rendering_it_never_leaves_it(monkeypatch):
    monkeypatch.setattr(shared_parts, "WAIT_SECONDS", 0.05)
    shared_parts.redis_store().set(
        shared_parts.RENDERING_PREFIX + shared_parts._key("a part", (1,)), 1, ex=60
    )
    part = Part()
    assert ask(part) == HTML
    assert part.calls == 1


def test_a_render_that_failed_keeps_nobody_waiting():
    def failing():
        raise ValueError("a part that cannot be drawn")

    with pytest.raises(ValueError):
        ask(failing)
    rendering = shared_parts.RENDERING_PREFIX + shared_parts._key("a part", (1,))
    assert not shared_parts.redis_store().exists(rendering)


def test_a_process_keeps_a_part_no_longer_than_redis_still_does():
    part = Part()
    ask(part)
    shared_parts.redis_store().pexpire(shared_parts.SHARED_PREFIX + shared_parts._key("a part", (1,)), 200)
    another_process()
    ask(part)  # from Redis, with the 200 ms it has left
    time.sleep(0.3)
    ask(part)
    assert part.calls == 2


def test_forgetting_all_forgets_what_redis_keeps():
    part = Part()
    ask(part)
    shared_parts.forget_all()
    ask(part)
    assert part.calls == 2


@pytest.fixture
def redis_away(monkeypatch):
    """Redis unreachable: nothing listens where the parts' client looks. Counts the lookups."""
    lookups = []

    def unreachable():
        lookups.append(1)
        return redis.Redis(port=free_port(), socket_connect_timeout=0.2)

    monkeypatch.setattr(shared_parts, "redis_store", unreachable)
    monkeypatch.setattr(shared_parts, "_redis_paused_until", 0.0)
    return lookups


def test_with_redis_away_each_process_renders_its_own_and_redis_is_left_alone_a_while(redis_away):
    part = Part()
    assert ask(part) == HTML
    another_process()
    assert ask(part) == HTML
    assert part.calls == 2
    assert len(redis_away) == 1  # the second reader did not wait on Redis again
