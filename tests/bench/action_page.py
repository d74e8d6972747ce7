"""Benchmark of the action page of a national action at national scale (run on demand; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_bench .venv/bin/python tests/bench/action_page.py

Migrates the database and builds the demo with `seed_demo --scale 43` (idempotent: a second run reuses it), takes
the national action 1.1 (mirrored by 43 local actions), brings its status history to 20 updates inside a
transaction that is rolled back at the end (the database is left as it was), then prints the median time of the
page over the requests (Django's test client in process: middleware, session, queries, template; no network),
its number of queries and its size.
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

UPDATES = 20


class Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests (default 30)")
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
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from actionplan.models import User
    from actions.models import Action, StatusUpdate
    from themes.selectors import plan_national_current

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not args.skip_seed:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", scale=str(args.scale), password="bench-only-password-1")

    plan = plan_national_current()
    if plan is None:
        print("No published national plan: run without --skip-seed.")
        return 1
    viewer = User.objects.filter(role=User.Role.BOARD, is_active=True).first()
    client = Client()
    client.force_login(viewer)

    try:
        with transaction.atomic():
            action = Action.objects.get(plan=plan, reference="1.1")
            authors = list(User.objects.filter(role=User.Role.LEAD).order_by("pk")[:UPDATES])
            latest = action.updates.order_by("-version").first()
            version = latest.version if latest else action.version
            for n in range(action.updates.count(), UPDATES):
                version += 1
                StatusUpdate.objects.create(
                    action=action,
                    author=authors[n % len(authors)],
                    status_from=action.status,
                    status_to=action.status,
                    rag_from=action.rag,
                    rag_to=action.rag,
                    narrative=f"Progress note {n + 1}: the work goes on as planned in every force.",
                    version=version,
                )
            mirrors = action.local_actions.count()
            updates = action.updates.count()
            url = action.get_absolute_url()
            for _ in range(3):
                assert client.get(url).status_code == 200
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            print(f"National action {action.reference}: {mirrors} local actions mirroring it, {updates} status updates")
            print(
                f"Action page, median of {args.requests}: {statistics.median(times) * 1000:.1f} ms, "
                f"{len(captured)} queries, {len(response.content) / 1024:.1f} KB"
            )
            raise Rollback
    except Rollback:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
