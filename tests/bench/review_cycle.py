"""Benchmark of closing a review cycle and reading the closed cycle (run on demand; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_bench .venv/bin/python tests/bench/review_cycle.py

Migrates the database, builds the demo with `seed_demo --scale 43` (idempotent), then prints the median time and
the query count of closing the national plan's open cycle (its snapshot), of closing the open cycle of all 44
plans one after another (every action of the demo frozen), and of the closed national cycle's page as a board
member reads it (Django's test client, in process). Each close runs in a transaction that is rolled back, so the
runs start from the same data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actionplan.settings.test")


class Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each measure (default 10)")
    parser.add_argument("--scale", type=int, default=43, help="local plans for seed_demo (default 43)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from actionplan.models import User
    from reviews.models import ActionSnapshot
    from reviews.services import review_cycle_close
    from themes.models import Plan, ReviewCycle

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--scale", str(args.scale), "--password", "bench-only-password-0000", verbosity=0)
    admin = User.objects.get(username="admin")
    national = Plan.objects.get(kind=Plan.Kind.NATIONAL)
    plans = list(Plan.objects.order_by("kind", "title"))
    print(f"{connection.vendor}: {len(plans)} plans, {national.actions.count()} national actions")

    def close(cycles) -> tuple[float, int, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            try:
                with transaction.atomic():
                    for cycle in cycles:
                        review_cycle_close(cycle=cycle, by=admin, before_meeting_confirmed=True)
                    frozen = ActionSnapshot.objects.filter(cycle__in=cycles).count()
                    raise Rollback
            except Rollback:
                pass
            elapsed = time.perf_counter() - started
        return elapsed, len(queries), frozen

    national_cycle = national.review_cycles.get(state=ReviewCycle.State.OPEN)
    every_cycle = list(ReviewCycle.objects.filter(state=ReviewCycle.State.OPEN, plan__in=plans))
    for label, cycles in (
        ("national plan's cycle", [national_cycle]),
        (f"{len(every_cycle)} plans' cycles", every_cycle),
    ):
        close(cycles)  # warm up
        runs = [close(cycles) for _ in range(args.runs)]
        median = statistics.median(run[0] for run in runs) * 1000
        print(
            f"Closing the {label}: median of {args.runs} {median:.1f} ms, {runs[0][1]} queries, {runs[0][2]} snapshots"
        )

    # The closed cycle's page: close the national cycle for real in a copy kept until the end, then read it.
    with transaction.atomic():
        review_cycle_close(cycle=national_cycle, by=admin, before_meeting_confirmed=True)
        client = Client()
        client.force_login(User.objects.get(username="board.member"))
        url = reverse("reviews:detail", kwargs={"pk": national_cycle.pk})
        client.get(url)
        times, counts = [], []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200
            counts.append(len(queries))
        print(
            f"The closed national cycle's page: median of {args.runs} {statistics.median(times) * 1000:.1f} ms, "
            f"{max(counts)} queries, {len(response.content) // 1024} KB"
        )
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
