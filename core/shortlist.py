"""The first few of a list, its full size, and where the whole list is: what a landing page or the
cockpit shows of each thing that asks for attention."""

from dataclasses import dataclass

# How many items a shortlist shows before "all N" links to the full list.
SHOWN = 8


@dataclass(frozen=True)
class Shortlist:
    items: list
    total: int
    everything_url: str = ""

    @classmethod
    def of(cls, queryset, everything_url: str = "", *, shown: int = SHOWN) -> "Shortlist":
        items = list(queryset[:shown])
        total = len(items) if len(items) < shown else queryset.count()
        return cls(items, total, everything_url)
