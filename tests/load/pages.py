"""Server time of each page the load benchmark requests, in process (a script, not a test):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_load REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python tests/load/pages.py [--profile "Board pack"]

Against the database `make load` built (`seed_demo --scale 43`), it requests each page 10 times through Django's
test client as the load benchmark's people would (a lead: My actions, an action page, the update form; a board
member: dashboards with filters, the board pack, the exports) and prints the median time and the number of
queries. `--profile NAME` runs pyinstrument over that page and prints where its time goes.
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actionplan.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--profile", help="the name of a page to profile with pyinstrument")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from actionplan.models import User
    from actions.models import Action
    from themes.models import ReviewCycle

    lead = User.objects.get(username="police.lead")
    board = User.objects.get(username="board.member")
    action = Action.objects.filter(police_lead=lead, status="in_progress").order_by("pk").first()
    cycle = ReviewCycle.objects.filter(plan__slug="national", state="closed").order_by("-board_meeting_on").first()
    local = Action.objects.filter(plan__kind="local").values_list("plan__slug", flat=True).first()
    pages = [
        ("My actions", lead, "/actions/mine/"),
        ("Action page", lead, f"/actions/{action.pk}/"),
        ("Update form", lead, f"/actions/{action.pk}/update/"),
        ("Dashboard", board, "/reviews/dashboard/"),
        ("Dashboard, filtered", board, "/reviews/dashboard/?theme=2&rag=red&rag=amber"),
        ("Dashboard, local plan", board, f"/reviews/dashboard/?plan={local}"),
        ("Board pack", board, "/reviews/board-pack/"),
        ("Board pack, cycle", board, f"/reviews/board-pack/?cycle={cycle.pk}"),
        ("Export CSV", board, "/reviews/dashboard/actions.csv?theme=3"),
        ("Export XLSX", board, "/reviews/dashboard/actions.xlsx?rag=red"),
    ]
    clients = {}
    for person in (lead, board):
        clients[person.pk] = Client(HTTP_HOST="127.0.0.1")
        clients[person.pk].force_login(person)

    print(f"{'Page':<24}{'median ms':>10}{'queries':>9}")
    for name, person, url in pages:
        client = clients[person.pk]
        client.get(url)  # warm: templates, the cache of an unchanged dashboard
        timings = []
        for _ in range(args.times):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name:<24}{statistics.median(timings):>10.1f}{len(queries):>9}")

    if args.profile:
        from pyinstrument import Profiler

        name, person, url = next(page for page in pages if page[0] == args.profile)
        profiler = Profiler()
        with profiler:
            for _ in range(args.times):
                clients[person.pk].get(url)
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
