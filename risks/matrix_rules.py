"""What makes a matrix version sound: its scales and levels labelled in both languages, its colours,
its review intervals, a grid naming its levels that never falls as likelihood or impact rises, and
an appetite that is one of its levels. The levels are the register's own four, in their order:
a version changes their words, colours and intervals, not which levels there are."""

import re

from django.utils.translation import gettext as _

from core.limits import MAX_DURATION
from risks.models import Level, in_current_language

LABEL_MAX = 60
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
REVIEW_INTERVAL_DAYS_MAX = MAX_DURATION.days
LEVEL_KEYS = list(Level.values)


def _label_errors(entries: list, what: str) -> list[str]:
    errors = []
    for entry in entries:
        for language in ("en", "zh"):
            label = entry.get(f"label_{language}") if isinstance(entry, dict) else None
            if not isinstance(label, str) or not label.strip():
                errors.append(
                    _("%(what)s %(value)s needs a label in English and in Chinese.")
                    % {
                        "what": what,
                        "value": entry.get("value", entry.get("key")) if isinstance(entry, dict) else "",
                    }
                )
                break
            if len(label) > LABEL_MAX:
                errors.append(_("A label has at most %(max)s characters.") % {"max": LABEL_MAX})
                break
    return errors


def _scale_errors(scale, what: str) -> list[str]:
    if not isinstance(scale, list) or [
        entry.get("value") for entry in scale if isinstance(entry, dict)
    ] != list(range(1, len(scale) + 1)):
        return [_("The scale's values are 1, 2, 3… in order.")]
    return _label_errors(scale, what)


def _level_errors(levels) -> list[str]:
    if (
        not isinstance(levels, list)
        or [level.get("key") for level in levels if isinstance(level, dict)] != LEVEL_KEYS
    ):
        return [_("The levels are low, medium, high and critical, in that order.")]
    errors = _label_errors(levels, _("Level"))
    for level in levels:
        label = in_current_language(level.get("label_en") or "", level.get("label_zh") or "")
        if not isinstance(level.get("color"), str) or not COLOR.fullmatch(level["color"]):
            errors.append(_("The colour of %(level)s is written #rrggbb, e.g. #c9302c.") % {"level": label})
        interval = level.get("review_interval_days")
        if (
            not isinstance(interval, int)
            or isinstance(interval, bool)
            or not 1 <= interval <= REVIEW_INTERVAL_DAYS_MAX
        ):
            errors.append(
                _("The review interval of %(level)s is a whole number of days from 1 to %(max)s.")
                % {"level": label, "max": REVIEW_INTERVAL_DAYS_MAX}
            )
    return errors


def falls(grid: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """The cells whose level is below that of a cell with a lower likelihood or impact: (likelihood,
    impact) of the cell, then of the lower-rated cell it falls below."""
    rank = {key: position for position, key in enumerate(LEVEL_KEYS)}
    found = []
    for row, cells in enumerate(grid):
        for column, key in enumerate(cells):
            for below_row, below_column in ((row - 1, column), (row, column - 1)):
                if below_row >= 0 and below_column >= 0 and rank[key] < rank[grid[below_row][below_column]]:
                    found.append((row + 1, column + 1, below_row + 1, below_column + 1))
                    break
    return found


def matrix_errors(*, likelihood, impact, levels, grid, appetite) -> dict[str, list[str]]:
    """The matrix's errors by part (likelihood, impact, levels, grid, appetite); none when it is sound."""
    errors = {
        "likelihood": _scale_errors(likelihood, _("Likelihood")),
        "impact": _scale_errors(impact, _("Impact")),
        "levels": _level_errors(levels),
    }
    if (
        not isinstance(grid, list)
        or not isinstance(likelihood, list)
        or not isinstance(impact, list)
        or len(grid) != len(likelihood)
        or any(not isinstance(row, list) or len(row) != len(impact) for row in grid)
    ):
        errors["grid"] = [_("The grid needs one row per likelihood value and one cell per impact value.")]
    elif any(cell not in LEVEL_KEYS for row in grid for cell in row):
        errors["grid"] = [_("Every cell must name one of the levels.")]
    else:
        errors["grid"] = [
            _(
                "Likelihood %(l)s × impact %(i)s is a lower level than likelihood %(below_l)s × impact "
                "%(below_i)s: a higher rating is never a lower level."
            )
            % {"l": row, "i": column, "below_l": below_row, "below_i": below_column}
            for row, column, below_row, below_column in falls(grid)
        ]
    if appetite not in LEVEL_KEYS:
        errors["appetite"] = [_("The appetite must be one of the levels.")]
    return {part: messages for part, messages in errors.items() if messages}
