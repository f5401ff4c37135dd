"""The band of a reading: pure functions of its value, the readings before it and the KRI's rule.

A threshold is crossed strictly: with higher_is_worse a value above red is red, one above amber
amber ("above X"); with lower_is_worse below ("below 65"). A value equal to a threshold is on
the better side.

Rules (`KRI.rule`, JSON):
- `{"type": "threshold"}` (the default): the value against the amber and red thresholds.
- `{"type": "change", "baseline": "previous" | <number>, "either_way": true|false}`: the change
  in percent from the baseline — the reading just before this one, or a configured value such as
  a benchmark — against amber and red given in percent ("moved more than 15 %": red = 15).
  higher_is_worse counts rises, lower_is_worse falls, either_way both. The first reading of a
  series has no previous baseline and is green.
- `{"type": "consecutive", "count": N}`: red only when this and the N - 1 readings before it are
  all beyond red ("below 65 for 3 consecutive readings"); a red value before that is amber.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from indicators.models import Band, Direction

THRESHOLD, CHANGE, CONSECUTIVE = "threshold", "change", "consecutive"
PREVIOUS = "previous"
SETTINGS = {THRESHOLD: set(), CHANGE: {"baseline", "either_way"}, CONSECUTIVE: {"count"}}


@dataclass(frozen=True)
class Rule:
    type: str = THRESHOLD
    baseline: str | float = PREVIOUS
    either_way: bool = False
    count: int = 1

    @property
    def history_needed(self) -> int:
        """How many readings before this one the band depends on."""
        if self.type == CHANGE and self.baseline == PREVIOUS:
            return 1
        if self.type == CONSECUTIVE:
            return self.count - 1
        return 0


def rule_parse(data: dict | None) -> tuple[Rule, dict[str, list[str]]]:
    """The rule, and field errors keyed `rule` (empty when the rule is valid)."""
    data = {} if data is None else data
    if not isinstance(data, dict):
        return Rule(), {"rule": [_("The rule must be an object.")]}
    kind = data.get("type", THRESHOLD)
    if kind not in SETTINGS:
        return Rule(), {"rule": [_("The rule type is threshold, change or consecutive.")]}
    unknown = set(data) - SETTINGS[kind] - {"type"}
    if unknown:
        return Rule(), {
            "rule": [_("Unknown rule settings: %(names)s.") % {"names": ", ".join(sorted(unknown))}]
        }
    if kind == CHANGE:
        baseline = data.get("baseline", PREVIOUS)
        either_way = data.get("either_way", False)
        if baseline != PREVIOUS and not _is_number(baseline):
            return Rule(), {"rule": [_('The baseline is "previous" or a number.')]}
        if baseline == 0:
            return Rule(), {"rule": [_("A configured baseline cannot be zero.")]}
        if not isinstance(either_way, bool):
            return Rule(), {"rule": [_("either_way is true or false.")]}
        return Rule(CHANGE, baseline if baseline == PREVIOUS else float(baseline), either_way), {}
    if kind == CONSECUTIVE:
        count = data.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or not 2 <= count <= 100:
            return Rule(), {"rule": [_("count is a whole number of readings from 2 to 100.")]}
        return Rule(CONSECUTIVE, count=count), {}
    return Rule(), {}


def rule_as_json(rule: Rule) -> dict:
    if rule.type == CHANGE:
        return {"type": CHANGE, "baseline": rule.baseline, "either_way": rule.either_way}
    if rule.type == CONSECUTIVE:
        return {"type": CONSECUTIVE, "count": rule.count}
    return {"type": THRESHOLD}


def threshold_errors(*, rule: Rule, direction: str, amber: float, red: float) -> dict[str, list[str]]:
    """Amber must come before red on the way from good to bad."""
    worse_is_higher = rule.type == CHANGE or direction == Direction.HIGHER_IS_WORSE
    if worse_is_higher and amber > red:
        return {"amber": [_("Amber must not be above red when higher is worse.")]}
    if not worse_is_higher and amber < red:
        return {"amber": [_("Amber must not be below red when lower is worse.")]}
    if rule.type == CHANGE and amber < 0:
        return {"amber": [_("A change is measured in percent: amber and red are not negative.")]}
    return {}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _beyond(measure: float, threshold: float, worse_is_higher: bool) -> bool:
    return measure > threshold if worse_is_higher else measure < threshold


def threshold_band(*, value: float, direction: str, amber: float, red: float) -> str:
    worse_is_higher = direction == Direction.HIGHER_IS_WORSE
    if _beyond(value, red, worse_is_higher):
        return Band.RED
    if _beyond(value, amber, worse_is_higher):
        return Band.AMBER
    return Band.GREEN


def change_percent(*, value: float, baseline: float) -> float:
    if baseline == 0:
        return 0.0 if value == 0 else math.copysign(math.inf, value)
    return (value - baseline) / abs(baseline) * 100


def band_of(
    *, value: float, previous: Sequence[float], rule: Rule, direction: str, amber: float, red: float
) -> str:
    """`previous` are the values measured before this one, oldest first (at least the last
    `rule.history_needed` of them when the series has that many)."""
    if rule.type == CHANGE:
        if rule.baseline == PREVIOUS:
            if not previous:
                return Band.GREEN
            baseline = previous[-1]
        else:
            baseline = rule.baseline
        change = change_percent(value=value, baseline=baseline)
        if rule.either_way:
            measure = abs(change)
        else:
            measure = change if direction == Direction.HIGHER_IS_WORSE else -change
        return threshold_band(value=measure, direction=Direction.HIGHER_IS_WORSE, amber=amber, red=red)
    band = threshold_band(value=value, direction=direction, amber=amber, red=red)
    if rule.type == CONSECUTIVE and band == Band.RED:
        before = previous[len(previous) - (rule.count - 1) :] if rule.count > 1 else []
        streak = len(before) == rule.count - 1 and all(
            threshold_band(value=earlier, direction=direction, amber=amber, red=red) == Band.RED
            for earlier in before
        )
        if not streak:
            return Band.AMBER
    return band
