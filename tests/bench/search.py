"""Benchmark of search at national scale (run on demand; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_bench .venv/bin/python tests/bench/search.py

Migrates the database and builds the demo with `seed_demo --scale 43` (idempotent: a second run reuses it), then
prints, for a few searches a board member might make (a common word, a phrase, a reference, a lead's name, one with
no results), the number of results, the median time of the results page over the requests (Django's test client in
process: middleware, session, queries, template; no network) and its number of queries.
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

SEARCHES = ["victims", "pre-trial therapy", "2.3", "Sarah Thornton", "disclosure", "no such words anywhere"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests of each search (default 30)")
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
    from django.urls import reverse

    from actionplan.models import User
    from actions.models import Action
    from actions.search import actions_search

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not args.skip_seed:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", scale=str(args.scale), password="bench-only-password-1")

    viewer = User.objects.filter(role=User.Role.BOARD, is_active=True).first()
    client = Client()
    client.force_login(viewer)
    url = reverse("actions:search")
    print(f"Data: {Action.objects.count()} actions")
    for query in SEARCHES:
        for _ in range(3):
            assert client.get(url, {"q": query}).status_code == 200
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(url, {"q": query})
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, {"q": query})
        found = actions_search(user=viewer, query=query).count()
        print(
            f"‘{query}’: {found} results, page of results median of {args.requests}: "
            f"{statistics.median(times) * 1000:.1f} ms, {len(captured)} queries"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
