"""A moment on a page: the time in the reader's zone, its full date and zone on hover, a countdown."""

import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.utils import timezone

FIRE = dt.datetime(2024, 10, 27, 0, 30, tzinfo=dt.UTC)


def drawn(at, **given) -> str:
    with timezone.override(zoneinfo.ZoneInfo(given.pop("zone", "Asia/Shanghai"))):
        return Template("{% load moments %}{% moment at past=past scale=scale %}").render(
            Context({"at": at, "past": given.get("past"), "scale": given.get("scale")})
        )


def test_in_the_readers_zone_with_its_countdown():
    assert drawn(FIRE, past="overdue", scale=60) == (
        '<time datetime="2024-10-27T08:30:00+08:00" title="2024-10-27 08:30:00 CST">10-27 08:30</time> '
        '<span class="countdown" data-countdown="2024-10-27T08:30:00+08:00" data-past="overdue" '
        'data-scale="60"></span>\n'
    )


def test_past_is_ago_and_the_clock_real_time_unless_said():
    assert 'data-past="ago" data-scale="1"' in drawn(FIRE)


def test_a_time_a_clock_change_makes_ambiguous_names_no_zone():
    # 02:30 happened twice in Berlin that night; the date filter names no zone for it either.
    assert 'title="2024-10-27 02:30:00 ">' in drawn(FIRE, zone="Europe/Berlin")
    assert 'title="2024-10-27 04:30:00 CET">' in drawn(FIRE + dt.timedelta(hours=3), zone="Europe/Berlin")


def test_nothing_yet_is_drawn_empty():
    assert drawn(None).startswith('<time datetime="" title="">')
