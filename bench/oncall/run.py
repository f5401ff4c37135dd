"""Who is on call now, for 200 teams: `oncall.selectors.on_call_for_teams`, the question every part
of the product asks (escalation, the schedule list, the hand-off and warning sweeps).

    .venv/bin/python bench/oncall/run.py

Runs on a throw-away SQLite database (or DATABASE_URL if set; its tables are migrated and the
bench's rows are rolled back). Builds TEAMS teams, each with a schedule of two layers (a weekly
rotation of four people and a weekday daytime layer over it), an override and an accepted swap,
then asks who is on call now for all of them, ROUNDS times. Prints p50 and p95 and the queries
per answer next to the floor measured in the same run: one query reading the same schedules'
rows (no rotation worked out). Then the two beat sweeps over the same schedules, once each.
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
scratch = tempfile.mkdtemp(prefix="riskops-bench-oncall-")
os.environ.setdefault("RISKOPS_VAR_DIR", scratch)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskops.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from oncall.hand_offs import hand_offs_tell  # noqa: E402
from oncall.lookout import warnings_send  # noqa: E402
from oncall.models import Layer, LayerMember, Override, Schedule, Swap, SwapStatus  # noqa: E402
from oncall.selectors import on_call_for_teams  # noqa: E402
from people.models import Team, User  # noqa: E402

TEAMS, ROUNDS = 200, 30
RUN = Path(scratch).name.rsplit("-", 1)[-1]  # names are new on every run, on any database


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def build(now: dt.datetime) -> list[int]:
    people = User.objects.bulk_create(
        User(username=f"oncall-{RUN}-{n}", email=f"p{n}@example.com" if n % 7 else "")
        for n in range(4 * TEAMS)
    )
    teams = Team.objects.bulk_create(
        Team(slug=f"t-{RUN}-{n}", name=f"Team {n}", escalation_contact=people[4 * n]) for n in range(TEAMS)
    )
    schedules = Schedule.objects.bulk_create(
        Schedule(team=team, name=f"{team.name} primary", time_zone="Asia/Shanghai") for team in teams
    )
    start = (now - dt.timedelta(days=40)).date()
    layers = Layer.objects.bulk_create(
        layer
        for schedule in schedules
        for layer in (
            Layer(
                schedule=schedule,
                name="Weekly",
                priority=1,
                start_date=start,
                handoff_time=dt.time(9),
                shift_unit="weeks",
            ),
            Layer(
                schedule=schedule,
                name="Daytime",
                priority=2,
                start_date=start,
                handoff_time=dt.time(9),
                weekdays=[0, 1, 2, 3, 4],
                covers_from=dt.time(9),
                covers_until=dt.time(18),
                working_days_only=True,
            ),
        )
    )
    LayerMember.objects.bulk_create(
        LayerMember(layer=layer, person=people[4 * (index // 2) + position], position=position)
        for index, layer in enumerate(layers)
        for position in range(4)
    )
    Override.objects.bulk_create(
        Override(
            schedule=schedule,
            person=people[4 * n + 1],
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=2 + n % 5),
        )
        for n, schedule in enumerate(schedules)
        if n % 3 == 0
    )
    Swap.objects.bulk_create(
        Swap(
            layer=layer,
            requester=people[4 * (index // 2)],
            partner=people[4 * (index // 2) + 1],
            requester_shift_start=now - dt.timedelta(days=1),
            requester_shift_end=now + dt.timedelta(days=1),
            partner_shift_start=now + dt.timedelta(days=6),
            partner_shift_end=now + dt.timedelta(days=8),
            status=SwapStatus.ACCEPTED,
        )
        for index, layer in enumerate(layers)
        if index % 4 == 0  # the weekly layer of every other team
    )
    return [team.pk for team in teams]


def timed(function, rounds: int) -> tuple[list[float], int]:
    timings = []
    for _round in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            function()
            timings.append((time.perf_counter() - started) * 1000)
    return timings, len(queries.captured_queries)


def main():
    call_command("migrate", verbosity=0)
    now = timezone.now()
    with transaction.atomic():
        team_ids = build(now)
        answers, queries = timed(lambda: on_call_for_teams(team_ids=team_ids, at=now), ROUNDS)
        found = on_call_for_teams(team_ids=team_ids, at=now)
        floor, floor_queries = timed(
            lambda: list(Schedule.objects.filter(team_id__in=team_ids).values()), ROUNDS
        )
        sweeps = {
            name: timed(lambda sweep=sweep: sweep(now=now), 1)
            for name, sweep in (("warnings", warnings_send), ("hand-offs", hand_offs_tell))
        }
        transaction.set_rollback(True)
    print(f"database: {connection.vendor}; {TEAMS} teams, {ROUNDS} rounds")
    covered = sum(answer.person is not None for answer in found.values())
    print(
        f"who is on call now, {TEAMS} teams: p50 {statistics.median(answers):.1f} ms,"
        f" p95 {percentile(answers, 95):.1f} ms, {queries} queries; {covered} teams have someone on call"
    )
    print(
        f"floor (one query reading the {TEAMS} schedules' rows): p50 {statistics.median(floor):.1f} ms,"
        f" p95 {percentile(floor, 95):.1f} ms, {floor_queries} query"
    )
    for name, (timing, count) in sweeps.items():
        print(
            f"{name} sweep over {TEAMS} schedules (first run, telling): {timing[0]:.0f} ms, {count} queries"
        )


if __name__ == "__main__":
    main()
