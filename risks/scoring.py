"""Ratings on a matrix version: checking them, deriving levels, and snapshotting them for history."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from risks.models import LEVEL_RANK, Category, Risk, RiskMatrix

# (likelihood field, impact field, level field) of each rating a risk carries.
RATINGS = {
    "inherent": ("likelihood", "impact", "level"),
    "residual": ("residual_likelihood", "residual_impact", "residual_level"),
    "target": ("target_likelihood", "target_impact", "target_level"),
}
RATING_FIELDS = [field for likelihood, impact, _level in RATINGS.values() for field in (likelihood, impact)]


def scale_error(matrix: RiskMatrix, field: str, value) -> str | None:
    scale = matrix.impact if field.endswith("impact") else matrix.likelihood
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= len(scale):
        return _("Must be a whole number from 1 to %(top)s on matrix v%(version)s.") % {
            "top": len(scale),
            "version": matrix.version,
        }
    return None


def check_ratings(matrix: RiskMatrix, values: dict) -> None:
    """Raises a field-level ValidationError for every rating outside the matrix's scales."""
    errors = {}
    for field in RATING_FIELDS:
        value = values.get(field)
        if value is None:
            continue
        if message := scale_error(matrix, field, value):
            errors[field] = [message]
    if errors:
        raise ValidationError(errors)


def apply_ratings(risk: Risk, matrix: RiskMatrix) -> None:
    """Derives the levels and the appetite flag of `risk` from its ratings on `matrix`."""
    risk.matrix = matrix
    for likelihood, impact, level in RATINGS.values():
        value_l, value_i = getattr(risk, likelihood), getattr(risk, impact)
        setattr(risk, level, matrix.level_of(value_l, value_i) if value_l and value_i else "")
    risk.above_appetite = outside_appetite(
        category=risk.category, matrix=matrix, level=risk.residual_level, score=risk.residual_score
    )


def outside_appetite(*, category: Category, matrix: RiskMatrix, level: str, score: int | None) -> bool:
    """A residual rating is outside appetite when its level is above the category's appetite (the
    matrix's when the category sets none), or its score above the category's highest score."""
    if not level:
        return False
    if LEVEL_RANK[level] > LEVEL_RANK[category.appetite or matrix.appetite]:
        return True
    return category.appetite_score is not None and score is not None and score > category.appetite_score


def snapshot(risk: Risk) -> dict:
    """The ratings of a risk as written to its score history."""
    state = {"matrix_version": risk.matrix.version}
    for likelihood, impact, level in RATINGS.values():
        state[likelihood] = getattr(risk, likelihood)
        state[impact] = getattr(risk, impact)
        state[level] = getattr(risk, level) or None
    return state


def review_due(risk: Risk, matrix: RiskMatrix, since: dt.datetime) -> dt.datetime:
    """When a risk is next due for review: its own interval, or the interval of its residual level
    (a risk not rated yet: the shortest interval of the matrix, so that someone rates it soon)."""
    if risk.review_interval_days:
        return since + dt.timedelta(days=risk.review_interval_days)
    if not risk.residual_level:
        return since + min(matrix.review_interval(level["key"]) for level in matrix.levels)
    return since + matrix.review_interval(risk.residual_level)


def pair_errors(values: dict) -> dict[str, list[str]]:
    """A likelihood without its impact (or the reverse) in any of the three ratings."""
    errors = {}
    for likelihood, impact, _level in RATINGS.values():
        if (values.get(likelihood) is None) != (values.get(impact) is None):
            missing = impact if values.get(impact) is None else likelihood
            errors[missing] = [_("Give the likelihood and the impact together.")]
    return errors
