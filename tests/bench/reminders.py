"""Benchmark of the reminder sweep at national scale (run on demand; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_bench .venv/bin/python tests/bench/reminders.py

Migrates the database and builds the demo with `seed_demo --scale 43` (idempotent: a second run reuses it), then
runs the whole sweep (work out what is due, record it, claim it, render and send one digest per person to the
in-memory email backend) on a day when hundreds of actions are due or overdue, twice: on the demo as it is, and
with every open action copied three more times to the same leads (four times the actions, the same people). It
prints, for each, the wall time and the number of queries. Everything runs in a transaction that is rolled back,
so the database is left as it was and the figures are the same on every run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actionplan.settings.test")


class Rollback(Exception):
    pass


def copy_open_actions(times: int) -> int:
    """Add `times` copies of every open action, with the same plan, theme, leads and dates."""
    from actions.models import Action, reference_sort_key

    copies = []
    for action in Action.objects.open():
        for n in range(1, times + 1):
            action.pk = None
            action.id = None
            reference = f"{action.reference[:14]}.c{n}"
            action.reference = reference
            action.reference_sort = reference_sort_key(reference)
            action.mirrors = None
            action.superseded_by = None
            copies.append(Action(**{f.attname: getattr(action, f.attname) for f in Action._meta.concrete_fields}))
            action.reference = action.reference.rsplit(".c", 1)[0]
    Action.objects.bulk_create(copies, batch_size=1000)
    return len(copies)


def measure(as_of: date) -> dict:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actions.models import Action
    from notifications.models import Reminder
    from notifications.services import reminders_send

    open_actions = Action.objects.open().with_current_target()
    figures = {
        "actions": Action.objects.count(),
        "overdue": open_actions.filter(current_target__lt=as_of).count(),
        "due_14": open_actions.filter(
            current_target__gte=as_of, current_target__lte=as_of + timedelta(days=14)
        ).count(),
    }
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = reminders_send(as_of=as_of)
        figures["seconds"] = time.perf_counter() - started
    figures["queries"] = len(queries.captured_queries)
    figures["inserts"] = sum(1 for q in queries.captured_queries if q["sql"].startswith("INSERT"))
    kinds: dict[str, int] = {}
    for q in queries.captured_queries:
        word = q["sql"].split(None, 1)[0]
        kinds[word] = kinds.get(word, 0) + 1
    figures["kinds"] = kinds
    figures["reminders"] = Reminder.objects.filter(state=Reminder.State.SENT).count()
    figures["digests"] = len(result.digests)
    figures["emails"] = len(mail.outbox)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=43, help="local plans for seed_demo (default 43)")
    parser.add_argument("--skip-seed", action="store_true", help="use the data already in the database")
    parser.add_argument("--days-ahead", type=int, default=14, help="sweep this many days after today (default 14)")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://")):
        print(
            "Set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://postgres@127.0.0.1:5432/rasso_bench"
        )
        return 2

    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()  # the in-memory email backend's outbox
    if not args.skip_seed:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale=str(args.scale), password="bench-only-password-1")
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.1f} s")

    as_of = timezone.localdate() + timedelta(days=args.days_ahead)
    print(f"Sweep as of {as_of.isoformat()} ({args.days_ahead} days after today), emails to the in-memory backend.")
    rows = []
    for label, copies in (("demo as seeded", 0), ("4x the actions", 3)):
        try:
            with transaction.atomic():
                if copies:
                    copy_open_actions(copies)
                rows.append((label, measure(as_of)))
                raise Rollback
        except Rollback:
            pass
        mail.outbox = []

    header = (
        f"{'':16} {'actions':>8} {'overdue':>8} {'due≤14d':>8} {'reminders':>10} {'people':>7} {'queries':>8}"
        f" {'of which INSERT':>16} {'wall time':>10}"
    )
    print(header)
    for label, f in rows:
        print(
            f"{label:16} {f['actions']:>8} {f['overdue']:>8} {f['due_14']:>8} {f['reminders']:>10} {f['digests']:>7}"
            f" {f['queries']:>8} {f['inserts']:>16} {f['seconds']:>9.2f}s"
        )
    first, second = rows[0][1], rows[1][1]
    per_person = (first["queries"] - 10 - first["inserts"]) / max(first["digests"], 1)
    print(
        f"Queries: {first['queries']} and {second['queries']} for {first['digests']} and {second['digests']} people; "
        f"about {per_person:.1f} per person reminded (5 with an update due or a cycle opening), none per action."
    )
    print(f"By statement: {first['kinds']} and {second['kinds']}")
    assert first["emails"] == first["digests"] and second["emails"] == second["digests"]
    return 0


if __name__ == "__main__":
    sys.exit(main())
