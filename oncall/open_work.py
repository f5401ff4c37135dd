"""What is open for a team when its on-call person's shift starts. Incidents sit above on call, so
the incidents app registers what it knows here (from its AppConfig.ready()) and the hand-off sweep
asks without importing it."""

from collections import defaultdict
from collections.abc import Callable, Iterable

_providers: list[Callable] = []


def on_hand_off(provider: Callable) -> None:
    """`provider(team_ids=)` returns {team id: [lines a person reads, lazy, in their language]}."""
    if provider not in _providers:
        _providers.append(provider)


def open_work(*, team_ids: Iterable[int]) -> dict[int, list]:
    team_ids = set(team_ids)
    lines: dict[int, list] = defaultdict(list)
    for provider in _providers:
        for team_id, more in provider(team_ids=team_ids).items():
            lines[team_id] += more
    return lines
