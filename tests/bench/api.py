"""Benchmark of the API's action list at national scale (run on demand; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_bench .venv/bin/python tests/bench/api.py

Migrates the database, builds the demo with `seed_demo --scale 43` (a second run reuses it, or pass --skip-seed),
then reads `GET /api/v1/actions/` as a program would, with a personal token, through Django's test client in
process (middleware, authentication, queries, JSON rendering; no network): the national plan's actions
(`?plan=national`) and every local plan's (`?plan_kind=local`, about 1,400 actions), page by page, 100 to a page.
Prints the median time of a page and the number of queries of each page, and the query count at page sizes of 10,
100 and 500 (which must not differ).
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="times each list is read in full (default 10)")
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from actionplan.models import User
    from actions.models import Action
    from api.services import api_token_create
    from themes.models import Plan

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not args.skip_seed:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale=str(args.scale), password="bench-only-password-1")
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.1f} s")

    national = Plan.objects.filter(kind=Plan.Kind.NATIONAL, status=Plan.Status.PUBLISHED).first()
    if national is None:
        print("No published national plan: run without --skip-seed.")
        return 1
    local_count = Action.objects.filter(plan__kind=Plan.Kind.LOCAL).count()
    print(
        f"Data: {national.local_plans.count()} local plans, {national.actions.count()} national actions, "
        f"{local_count} local actions"
    )
    reader = User.objects.filter(role=User.Role.BOARD, is_active=True).first()
    _token, key = api_token_create(user=reader, name=f"Benchmark {time.time_ns()}")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def read_all(query: str) -> tuple[list[float], list[int], int]:
        """Every page of the list: the time and the query count of each page, and the number of actions."""
        times, queries, total = [], [], 0
        url = f"/api/v1/actions/?{query}&page_size=100"
        while url:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:500]
            queries.append(len(captured))
            body = response.json()
            total += len(body["results"])
            url = body["next"].removeprefix("http://testserver") if body["next"] else None
        return times, queries, total

    for query in (f"plan={national.slug}", "plan_kind=local"):
        read_all(query)  # warm up: connection, first use of the token, compiled templates of nothing
        times: list[float] = []
        queries: list[int] = []
        for _ in range(args.rounds):
            round_times, round_queries, total = read_all(query)
            times += round_times
            queries += round_queries
        pages = len(times) // args.rounds
        print(
            f"GET /api/v1/actions/?{query} ({total} actions, {pages} page{'s' if pages != 1 else ''} of up to 100): "
            f"median {statistics.median(times) * 1000:.1f} ms a page, max {max(times) * 1000:.1f} ms, "
            f"{min(queries)}-{max(queries)} queries a page"
        )

    sizes = {}
    for size in (10, 100, 500):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/actions/?plan_kind=local&page_size={size}").status_code == 200
        sizes[size] = len(captured)
    print("Queries a page by page size: " + ", ".join(f"{size}: {count}" for size, count in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
