"""Server-rendered bar charts (SVG drawn by the template): rows → bars with positions and labels."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 160
PLOT_WIDTH = 320


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH

    @property
    def total_width(self) -> int:
        return self.label_width + self.plot_width + 80


def duration_text(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": rest // 60}
    return _("%(minutes)d min") % {"minutes": rest // 60}


def bar_chart(rows: list[dict], *, label, value_text, top: float | None = None) -> Chart:
    """`label(row)` and `value_text(row)` say what is written; bars scale to `top` or the largest value."""
    rows = [row for row in rows if row["value"] is not None]
    top = top or max((row["value"] for row in rows), default=0) or 1
    bars = [
        Bar(
            label=label(row),
            value_text=value_text(row),
            y=index * (BAR_HEIGHT + GAP),
            width=max(1, round(PLOT_WIDTH * row["value"] / top)),
        )
        for index, row in enumerate(rows)
    ]
    return Chart(bars=bars, height=max(BAR_HEIGHT, len(bars) * (BAR_HEIGHT + GAP)))
