"""Steps that apps above incidents add to resolving and closing an incident.

Resolving opens the incident's post-incident review, and closing needs that review completed or
waived. Reviews own that and sit above incidents, so reviews registers its steps here (from its
AppConfig.ready()) and incidents runs them inside its own transaction, with the incident row
locked, without importing reviews.
"""

from collections.abc import Callable

_resolve_steps: list[Callable] = []
_close_checks: list[Callable] = []


def on_incident_resolve(step: Callable) -> None:
    """`step(incident=, now=)` runs in incident_resolve's transaction, once the clock is stopped."""
    if step not in _resolve_steps:
        _resolve_steps.append(step)


def on_incident_close(check: Callable) -> None:
    """`check(incident=)` runs in incident_close's transaction before anything is written; it
    raises InvalidTransition to refuse the close."""
    if check not in _close_checks:
        _close_checks.append(check)


def resolve_steps_run(*, incident, now) -> None:
    for step in _resolve_steps:
        step(incident=incident, now=now)


def close_checks_run(*, incident) -> None:
    for check in _close_checks:
        check(incident=incident)
