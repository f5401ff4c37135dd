"""A risk's score over time: the inherent, residual and target score after each change of its
ratings, as steps held until the next change (and until today for the last), placed for
risks/_trajectory.html to draw as SVG without script, so that it prints and keeps to the content
security policy. Across the plot, x is in percent of its width; down it, y is in pixels.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from risks.models import Level, RiskMatrix, ScoreChange
from risks.scoring import RATINGS

SERIES = {"inherent": _("Inherent"), "residual": _("Residual"), "target": _("Target")}
DRAWN = ("target", "inherent", "residual")  # the residual score, the one the risk carries, on top
HEIGHT = 170  # pixels of the plot
TOP, BOTTOM = 10, 6  # pixels kept free above the top score and below zero
START, END = 1.5, 1.5  # percent kept free before the first change and after today
GAP = 4.0  # percent at least between two changes however close in time, room for their numbers


@dataclass(frozen=True)
class Point:
    series: str
    x: float
    y: float
    likelihood: int
    impact: int
    level: str
    number: int  # the change's number, oldest first, as the history lists it
    change: ScoreChange

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def label(self) -> str:
        return SERIES[self.series]

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level in Level.values else ""


@dataclass(frozen=True)
class Segment:
    series: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Trajectory:
    changes: list[ScoreChange]  # the changes after which the risk was rated, oldest first
    points: list[Point]
    segments: list[Segment]
    ticks: list[tuple[float, int]]  # (y, score) on the score axis
    numbers: list[tuple[float, int]]  # (x, change number) under the plot, none touching the next
    series: list[tuple[str, str]]  # (key, words) of each series drawn, for the legend
    levels: list[tuple[str, str]]  # (key, words) of each level a point has, for the legend
    height: int = HEIGHT

    @property
    def drawn(self) -> bool:
        """A line needs two ratings; with one or none the page says so in words."""
        return len(self.changes) > 1


def _rating(state: dict, series: str) -> tuple[int, int, str] | None:
    likelihood, impact, level = RATINGS[series]
    if state.get(likelihood) and state.get(impact):
        return state[likelihood], state[impact], state.get(level) or ""
    return None


def _placed(changes: list[ScoreChange], now: dt.datetime) -> list[float]:
    """x of each change: in proportion to its time between the first change and now, with at
    least GAP between two changes, so that a burst of changes on one day stays readable."""
    gap = min(GAP, (100 - START - END) / max(len(changes) - 1, 1))
    spread = 100 - START - END - gap * (len(changes) - 1)
    length = max((now - changes[0].at).total_seconds(), 1)
    return [
        round(START + index * gap + spread * min((change.at - changes[0].at).total_seconds() / length, 1), 2)
        for index, change in enumerate(changes)
    ]


def _ticks(top: int) -> list[int]:
    step = 5 if top >= 15 else 2 if top >= 6 else 1
    return list(range(0, top + 1, step))


def _numbers(xs: list[float]) -> list[tuple[float, int]]:
    """(x, number) of the changes numbered under the plot: the newest always, an older one where
    it does not touch the next."""
    numbers, last = [], None
    for number, x in reversed(list(enumerate(xs, 1))):
        if last is None or last - x >= GAP - 0.05:  # positions are rounded
            numbers.append((x, number))
            last = x
    return numbers


def _steps(series: str, values: list, xs: list[float], changes: list[ScoreChange], y) -> tuple[list, list]:
    """One series' points, and its line: each score held flat until the next change, then a
    step up or down; a change that leaves it unrated breaks the line, the last score runs to today."""
    points, segments = [], []
    held = None  # (x, y) of the score the series holds since the last change
    for index, (x, rating) in enumerate(zip(xs, values, strict=True)):
        if held:
            segments.append(Segment(series, held[0], held[1], x, held[1]))
        if rating is None:
            held = None
            continue
        likelihood, impact, level = rating
        score_y = y(likelihood * impact)
        if held and held[1] != score_y:
            segments.append(Segment(series, x, held[1], x, score_y))
        held = (x, score_y)
        points.append(Point(series, x, score_y, likelihood, impact, level, index + 1, changes[index]))
    if held:
        segments.append(Segment(series, held[0], held[1], 100 - END, held[1]))
    return points, segments


def trajectory_of(*, history: list[ScoreChange], matrix: RiskMatrix, now: dt.datetime) -> Trajectory:
    """The score after each change of `history` (newest first, as the page lists it) that left the
    risk rated, on an axis from zero to the top score of `matrix` (or higher, if a score was)."""
    changes = [change for change in reversed(history) if _rating(change.after, "inherent")]
    if not changes:
        return Trajectory(changes=[], points=[], segments=[], ticks=[], numbers=[], series=[], levels=[])
    xs = _placed(changes, now)
    ratings = {series: [_rating(change.after, series) for change in changes] for series in DRAWN}
    scores = [rating[0] * rating[1] for values in ratings.values() for rating in values if rating]
    top = max(len(matrix.likelihood) * len(matrix.impact), *scores)

    def y(score: int) -> float:
        return round(TOP + (1 - score / top) * (HEIGHT - TOP - BOTTOM), 1)

    points, segments = [], []
    for series, values in ratings.items():
        series_points, series_segments = _steps(series, values, xs, changes, y)
        points += series_points
        segments += series_segments
    drawn = {point.series for point in points}
    levels = {point.level for point in points}
    return Trajectory(
        changes=changes,
        points=points,
        segments=segments,
        ticks=[(y(score), score) for score in _ticks(top)],
        numbers=_numbers(xs),
        series=[(key, words) for key, words in SERIES.items() if key in drawn],
        levels=[(key, words) for key, words in Level.choices if key in levels],
    )
