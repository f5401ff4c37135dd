"""How big, how deep and how far any input may be, and the checks every way in uses.

A request body, a YAML or JSON file, a JSON text inside a form: each is refused when nested
deeper than MAX_DEPTH or holding more than MAX_NODES values, before anything walks it (Python's
parsers and serializers recurse, and a deep enough value raises RecursionError). Free texts
have one limit, TEXT_MAX_LENGTH characters. Whole numbers the database stores are 64-bit at
most; instants stop at the year 9999, which `datetime` cannot pass.
"""

import datetime as dt
import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
MAX_NODES = 200_000
TEXT_MAX_LENGTH = 10_000
# The largest value of the database's 64-bit integer columns (ids), and of its 32-bit ones.
BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1
# Durations (a plan's offsets, review intervals, expected periods) are at most ten years, and
# instants (due times, readings, reviews) lie between the years 1900 and 9000: so any duration
# added to any instant stays far inside what `datetime` (year 9999) and the database hold.
MAX_DURATION = dt.timedelta(days=3660)
EARLIEST_INSTANT = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST_INSTANT = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


class TooComplex(ValueError):
    """A value nested deeper or holding more than the limits allow."""


def too_deep() -> TooComplex:
    return TooComplex(_("It is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH})


def check_shape(value, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> None:
    """Raises TooComplex when `value` nests deeper than max_depth or holds more than max_nodes
    values. Iterative, so it never recurses itself; an alias repeated (YAML) counts each time."""
    pending = [(value, 1)]
    nodes = 0
    while pending:
        item, depth = pending.pop()
        nodes += 1
        if nodes > max_nodes:
            raise TooComplex(_("It holds more than %(count)d values.") % {"count": max_nodes})
        if isinstance(item, dict | list | tuple):
            if depth > max_depth:
                raise too_deep()
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)


def bounded_load(load, text: str | bytes):
    """`load(text)` (json.loads, yaml.safe_load…), refusing (TooComplex) a value that nests or
    holds too much; the loader's own error when the text is not of its kind."""
    try:
        value = load(text)
    except RecursionError:
        raise too_deep() from None
    check_shape(value)
    return value


def loads_json(text: str | bytes):
    return bounded_load(json.loads, text)


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, answering 400 `{"detail"}` to a body nested or holding too much."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            problem = str(too_deep())
        else:
            try:
                check_shape(data)
                return data
            except TooComplex as error:
                problem = str(error)
        raise ParseError(_("The JSON body cannot be accepted: %(problem)s") % {"problem": problem})


class BoundedJSONField(serializers.JSONField):
    """A JSON value (a form's JSON text too) within the depth and size limits, else a field error."""

    def to_internal_value(self, data):
        try:
            if self.binary or getattr(data, "is_json_string", False):
                try:
                    data = loads_json(data)
                except (TypeError, ValueError) as error:
                    if isinstance(error, TooComplex):
                        raise
                    self.fail("invalid")
            else:
                check_shape(data)
        except TooComplex as error:
            raise serializers.ValidationError(str(error)) from None
        return super().to_internal_value(data) if not self.binary else data


class LimitedTextField(models.TextField):
    """A free text of at most TEXT_MAX_LENGTH characters, checked by forms, serializers and the
    model's full_clean() alike (a plain TextField's max_length binds only its form)."""

    def __init__(self, *args, max_length=TEXT_MAX_LENGTH, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))


def text_too_long_message(limit: int = TEXT_MAX_LENGTH) -> str:
    return _("At most %(limit)d characters.") % {"limit": limit}


def check_text(value: str, *, limit: int = TEXT_MAX_LENGTH) -> None:
    """Django's ValidationError when a free text is longer than its limit (never cut)."""
    if len(value) > limit:
        raise ValidationError(text_too_long_message(limit))


def instant_out_of_range_message() -> str:
    return _("Give a time between the years %(first)d and %(last)d.") % {
        "first": EARLIEST_INSTANT.year,
        "last": LATEST_INSTANT.year - 1,
    }


def check_instant(value: dt.datetime) -> None:
    """Django's ValidationError when an aware instant lies outside [EARLIEST, LATEST)."""
    if not EARLIEST_INSTANT <= value < LATEST_INSTANT:
        raise ValidationError(instant_out_of_range_message())


class BoundedDateTimeField(serializers.DateTimeField):
    """An instant within the years EARLIEST_INSTANT and LATEST_INSTANT allow, else a field error."""

    def to_internal_value(self, value):
        try:
            instant = super().to_internal_value(value)
        except OverflowError:  # a far date carried past year 9999 by its offset
            raise serializers.ValidationError(instant_out_of_range_message()) from None
        if not EARLIEST_INSTANT <= instant < LATEST_INSTANT:
            raise serializers.ValidationError(instant_out_of_range_message())
        return instant


class BoundedFormDateTimeField(forms.DateTimeField):
    """The same for a page's form."""

    def to_python(self, value):
        try:
            instant = super().to_python(value)
        except OverflowError:
            raise ValidationError(instant_out_of_range_message(), code="invalid") from None
        if instant is not None:
            check_instant(instant)
        return instant
