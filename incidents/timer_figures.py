"""Figures about timers for monitoring, read from the database (the truth, whatever the number of
processes): how many are pending and overdue, how late the fired ones fired, escalations per level."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum

from incidents.models import Timer, TimerKind, TimerState

# A pending timer this long past due was missed by the fast path and waits for the sweep.
OVERDUE_AFTER = dt.timedelta(seconds=10)


@dataclass
class TimerFigures:
    pending: dict[str, int]  # per kind
    overdue: int
    lateness_buckets: list[tuple[float, int]]  # (upper bound in seconds, fired timers at most that late)
    lateness_count: int
    lateness_sum: float  # seconds
    escalations: dict[int, int]  # fired escalation timers per level


def timer_figures(*, now: dt.datetime, buckets: list[float]) -> TimerFigures:
    pending = dict(
        Timer.objects.filter(state=TimerState.PENDING).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    overdue = Timer.objects.filter(state=TimerState.PENDING, due_at__lt=now - OVERDUE_AFTER).count()
    lateness = ExpressionWrapper(F("fired_at") - F("due_at"), output_field=DurationField())
    fired = Timer.objects.filter(state=TimerState.FIRED, fired_at__isnull=False).annotate(lateness=lateness)
    counts = fired.aggregate(
        total=Count("pk"),
        late=Sum("lateness"),
        **{
            f"le_{index}": Count("pk", filter=Q(lateness__lte=dt.timedelta(seconds=bound)))
            for index, bound in enumerate(buckets)
        },
    )
    escalations = dict(
        Timer.objects.filter(kind=TimerKind.ESCALATION, state=TimerState.FIRED)
        .values_list("level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return TimerFigures(
        pending={kind: pending.get(kind, 0) for kind in TimerKind.values},
        overdue=overdue,
        lateness_buckets=[(bound, counts[f"le_{index}"]) for index, bound in enumerate(buckets)],
        lateness_count=counts["total"],
        lateness_sum=(counts["late"] or dt.timedelta()).total_seconds(),
        escalations={level: escalations.get(level, 0) for level in (1, 2, 3)},
    )
