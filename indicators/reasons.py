"""Why each reading is the colour it is, in the reader's words ("Red: 3 readings in a row below 65"):
the KRI's rule applied to the reading and the readings before it, as rules.py applies it. A reading
keeps the band it was given; one the current rule would colour otherwise says it was given under
earlier settings."""

import math
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.models import KRI, Band, Direction, Reading
from indicators.rules import CHANGE, CONSECUTIVE, PREVIOUS, Rule, band_of, change_percent, rule_parse


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def _move(percent: float) -> str:
    if not math.isfinite(percent):
        return _("up from zero") if percent > 0 else _("down from zero")
    if round(percent, 1) == 0:
        return _("unchanged")
    words = _("up %(percent)s %%") if percent > 0 else _("down %(percent)s %%")
    return words % {"percent": f"{abs(round(percent, 1)):g}"}


def _threshold(*, band: str, kri: KRI) -> str:
    numbers = {"amber": _number(kri.amber), "red": _number(kri.red)}
    higher = kri.direction == Direction.HIGHER_IS_WORSE
    if band == Band.RED:
        words = _("Red: above %(red)s") if higher else _("Red: below %(red)s")
    elif band == Band.AMBER:
        words = (
            _("Amber: above %(amber)s (red above %(red)s)")
            if higher
            else _("Amber: below %(amber)s (red below %(red)s)")
        )
    else:
        words = _("Green: not above %(amber)s") if higher else _("Green: not below %(amber)s")
    return words % numbers


def _streak(*, value: float, previous: Sequence[float], kri: KRI) -> int:
    """How many readings in a row, this one included, are beyond red."""
    higher = kri.direction == Direction.HIGHER_IS_WORSE
    count = 0
    for each in [*previous, value][::-1]:
        if not (each > kri.red if higher else each < kri.red):
            break
        count += 1
    return count


def _consecutive(*, band: str, value: float, previous: Sequence[float], rule: Rule, kri: KRI) -> str:
    streak = _streak(value=value, previous=previous, kri=kri)
    if not streak:
        return _threshold(band=band, kri=kri)
    higher = kri.direction == Direction.HIGHER_IS_WORSE
    numbers = {"n": streak, "red": _number(kri.red), "count": rule.count}
    if band == Band.RED:
        if higher:
            return _("Red: %(n)s readings in a row above %(red)s") % numbers
        return _("Red: %(n)s readings in a row below %(red)s") % numbers
    if higher:
        words = ngettext(
            "Amber: above %(red)s once; red after %(count)s in a row",
            "Amber: above %(red)s %(n)s times in a row; red after %(count)s in a row",
            streak,
        )
    else:
        words = ngettext(
            "Amber: below %(red)s once; red after %(count)s in a row",
            "Amber: below %(red)s %(n)s times in a row; red after %(count)s in a row",
            streak,
        )
    return words % numbers


def _change(*, band: str, value: float, previous: Sequence[float], rule: Rule, kri: KRI) -> str:
    if rule.baseline == PREVIOUS:
        if not previous:
            return _("Green: the first reading, with no reading before it to compare with")
        baseline = previous[-1]
    else:
        baseline = rule.baseline
    percent = change_percent(value=value, baseline=baseline)
    numbers = {
        "move": _move(percent),
        "baseline": _number(baseline),
        "amber": _number(kri.amber),
        "red": _number(kri.red),
    }
    from_previous = rule.baseline == PREVIOUS
    if band == Band.RED:
        words = (
            _("Red: %(move)s on the previous reading (red beyond %(red)s %%)")
            if from_previous
            else _("Red: %(move)s on the baseline %(baseline)s (red beyond %(red)s %%)")
        )
    elif band == Band.AMBER:
        words = (
            _("Amber: %(move)s on the previous reading (amber beyond %(amber)s %%, red beyond %(red)s %%)")
            if from_previous
            else _(
                "Amber: %(move)s on the baseline %(baseline)s "
                "(amber beyond %(amber)s %%, red beyond %(red)s %%)"
            )
        )
    else:
        words = (
            _("Green: %(move)s on the previous reading (amber beyond %(amber)s %%)")
            if from_previous
            else _("Green: %(move)s on the baseline %(baseline)s (amber beyond %(amber)s %%)")
        )
        if not rule.either_way and abs(percent) > kri.amber:
            words += (
                _("; only falls count")
                if kri.direction == Direction.LOWER_IS_WORSE
                else _("; only rises count")
            )
    return words % numbers


def _earlier_settings(band: str) -> str:
    return {
        Band.RED: _("Red under the settings of the time it was recorded"),
        Band.AMBER: _("Amber under the settings of the time it was recorded"),
        Band.GREEN: _("Green under the settings of the time it was recorded"),
    }[band]


def reading_reasons(*, kri: KRI, readings: Sequence[Reading], earlier: Sequence[float]) -> list[str]:
    """Why each of `readings` (oldest first) has its band; `earlier` are the values measured just
    before the first of them, oldest first (as many as the rule looks back over, where there are)."""
    rule, _errors = rule_parse(kri.rule)
    needed = rule.history_needed
    values = list(earlier)
    reasons = []
    for reading in readings:
        previous = values[len(values) - needed :] if needed else []
        band = band_of(
            value=reading.value,
            previous=previous,
            rule=rule,
            direction=kri.direction,
            amber=kri.amber,
            red=kri.red,
        )
        if band != reading.band:
            reasons.append(_earlier_settings(reading.band))
        elif rule.type == CHANGE:
            reasons.append(_change(band=band, value=reading.value, previous=previous, rule=rule, kri=kri))
        elif rule.type == CONSECUTIVE and band != Band.GREEN:
            reasons.append(
                _consecutive(band=band, value=reading.value, previous=previous, rule=rule, kri=kri)
            )
        else:
            reasons.append(_threshold(band=band, kri=kri))
        values.append(reading.value)
    return reasons
