"""Telling about a schedule's spans once: a sweep's candidate notices are claimed under the lock of
their schedules (in id order, so two sweeps never deadlock), against the notices already given of
the same kind, schedule and person over an overlapping span. A second sweep waits for the first's
lock, then finds its notices: nobody is told twice, however often or concurrently it runs."""

from collections import defaultdict

from oncall.models import Notice, Schedule


def _key(notice: Notice) -> tuple:
    return notice.schedule_id, notice.kind, notice.person_id


def notices_claim(*, candidates: list[Notice]) -> list[Notice]:
    """Inside the caller's transaction: saves and returns the candidates nobody was told about yet."""
    if not candidates:
        return []
    schedule_ids = sorted({notice.schedule_id for notice in candidates})
    list(Schedule.objects.select_for_update().filter(pk__in=schedule_ids).order_by("pk").values_list("pk"))
    given = defaultdict(list)
    for notice in Notice.objects.filter(
        schedule_id__in=schedule_ids,
        kind__in={notice.kind for notice in candidates},
        ends_at__gt=min(notice.starts_at for notice in candidates),
        starts_at__lt=max(notice.ends_at for notice in candidates),
    ):
        given[_key(notice)].append(notice)
    fresh = []
    for notice in candidates:
        if not any(
            old.starts_at < notice.ends_at and notice.starts_at < old.ends_at for old in given[_key(notice)]
        ):
            fresh.append(notice)
            given[_key(notice)].append(notice)
    Notice.objects.bulk_create(fresh)
    return fresh
