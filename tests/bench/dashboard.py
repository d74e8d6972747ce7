"""Benchmark of the board dashboard at national scale (run on demand; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_bench .venv/bin/python tests/bench/dashboard.py

Migrates the database, builds the demo with `seed_demo --scale 43` (idempotent: a second run reuses it), then
prints the median server time of the dashboard over 20 requests (Django's test client, in process: middleware,
session, queries and template rendering, no network) both with every figure recomputed (the cache emptied
before each request, as after any write) and with the data unchanged (the body served from the cache keyed by
the data version), the median time of the bare SQL computing the same figures, the ratios, and the number of
queries of each kind of request.
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

# The headline and per-theme figures of the national plan, and the local plans rolled up by national theme:
# what the dashboard's aggregate queries compute, written by hand.
# The counts of one group of actions: total, each status, overdue, due soon, and RAG of the open ones.
COUNTS = """
           COUNT(*),
           COUNT(*) FILTER (WHERE a.status = 'not_started'),
           COUNT(*) FILTER (WHERE a.status = 'in_progress'),
           COUNT(*) FILTER (WHERE a.status = 'completed'),
           COUNT(*) FILTER (WHERE a.status = 'closed'),
           COUNT(*) FILTER (WHERE a.status IN ('not_started', 'in_progress')
                            AND COALESCE(a.revised_target_date, a.target_date) < %(today)s),
           COUNT(*) FILTER (WHERE a.status IN ('not_started', 'in_progress')
                            AND COALESCE(a.revised_target_date, a.target_date) BETWEEN %(today)s AND %(soon)s),
           COUNT(*) FILTER (WHERE a.status IN ('not_started', 'in_progress') AND a.rag = 'red'),
           COUNT(*) FILTER (WHERE a.status IN ('not_started', 'in_progress') AND a.rag = 'amber'),
           COUNT(*) FILTER (WHERE a.status IN ('not_started', 'in_progress') AND a.rag = 'green')
"""
FIGURES_SQL = f"""
    SELECT a.theme_id, {COUNTS}      FROM actions_action a
     WHERE a.plan_id = %(plan)s
     GROUP BY GROUPING SETS ((a.theme_id), ())
"""
ROLLUP_SQL = f"""
    SELECT a.plan_id, t.mirrors_id, {COUNTS}      FROM actions_action a
      JOIN themes_plan p ON p.id = a.plan_id
      JOIN themes_theme t ON t.id = a.theme_id
     WHERE p.mirrors_id = %(plan)s
     GROUP BY a.plan_id, t.mirrors_id
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="timed requests (default 20)")
    parser.add_argument("--scale", type=int, default=43, help="local plans for seed_demo (default 43)")
    parser.add_argument("--skip-seed", action="store_true", help="use the data already in the database")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://")):
        print(
            "Set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://postgres@127.0.0.1:5432/rasso_bench"
        )
        return 2

    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from actionplan.models import User
    from actions.models import Action, StatusUpdate
    from themes.models import Plan
    from themes.selectors import plan_national_current

    # Not setup_test_environment(): its instrumented template rendering would inflate the figures.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not args.skip_seed:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale=str(args.scale), password="bench-only-password-1")
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.1f} s")

    plan = plan_national_current()
    if plan is None:
        print("No published national plan: run without --skip-seed.")
        return 1
    print(
        f"Data: {Plan.objects.filter(mirrors=plan).count()} local plans, {Action.objects.count()} actions, "
        f"{StatusUpdate.objects.count()} status updates"
    )
    viewer = (
        User.objects.filter(role=User.Role.BOARD, is_active=True).first()
        or User.objects.filter(role=User.Role.ADMIN).first()
    )
    client = Client()
    client.force_login(viewer)
    url = reverse("reviews:dashboard")

    from django.core.cache import cache

    for _ in range(3):  # warm up: template loading, connection
        assert client.get(url).status_code == 200

    def timed_requests(*, recompute: bool) -> list[float]:
        times = []
        for _ in range(args.requests):
            if recompute:
                cache.clear()  # every figure computed from the database, as after any write
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        return times

    cold_times = timed_requests(recompute=True)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    cold_queries = len(captured)  # counted now: later requests reset the connection's query log
    warm_times = timed_requests(recompute=False)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    warm_queries = len(captured)

    today = timezone.localdate()
    params = {"plan": plan.pk, "today": today, "soon": today + timedelta(days=30)}
    sql_times = []
    with connection.cursor() as cursor:
        for run in range(args.requests + 3):
            started = time.perf_counter()
            cursor.execute(FIGURES_SQL, params)
            cursor.fetchall()
            cursor.execute(ROLLUP_SQL, params)
            cursor.fetchall()
            if run >= 3:
                sql_times.append(time.perf_counter() - started)

    # The same figures through the dashboard's selectors (ORM aggregates, no page around them).
    from reviews.selectors import figures_by, local_plans_rollup

    themes = list(plan.themes.order_by("number"))
    orm_times = []
    for run in range(args.requests + 3):
        started = time.perf_counter()
        # The headline is the sum of the per-theme figures, as on the dashboard.
        figures_by(actions=plan.actions.all(), key="theme_id", today=today)
        local_plans_rollup(
            local_plans=plan.local_plans.order_by("police_force__name"),
            local_actions=Action.objects.filter(plan__mirrors=plan),
            themes=themes,
            today=today,
        )
        if run >= 3:
            orm_times.append(time.perf_counter() - started)

    cold_ms = statistics.median(cold_times) * 1000
    warm_ms = statistics.median(warm_times) * 1000
    orm_ms = statistics.median(orm_times) * 1000
    sql_ms = statistics.median(sql_times) * 1000
    print(f"Bare SQL of the headline, per-theme and local figures, median of {args.requests}: {sql_ms:.1f} ms")
    print(
        f"Dashboard, every figure recomputed (as after a write), median of {args.requests}: {cold_ms:.1f} ms, "
        f"{cold_ms / sql_ms:.1f}x the bare SQL, {cold_queries} queries"
    )
    print(
        f"Dashboard, data unchanged since the last request (cached body), median of {args.requests}: "
        f"{warm_ms:.1f} ms, {warm_ms / sql_ms:.1f}x the bare SQL, {warm_queries} queries"
    )
    print(f"The same figures through the selectors (ORM), median of {args.requests}: {orm_ms:.1f} ms")
    print(f"Ratio selectors / bare SQL: {orm_ms / sql_ms:.1f}x")
    print("Targets: median under 150 ms and within 3x of the bare SQL.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
