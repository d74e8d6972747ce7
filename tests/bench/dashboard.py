"""Benchmark of the board dashboard at national scale (run on demand; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_bench .venv/bin/python tests/bench/dashboard.py

Migrates the database, builds the demo with `seed_demo --scale 43` (idempotent: a second run reuses it), then
measures, in turns so that a busy machine slows each alike:

- the dashboard with every figure recomputed (the cache emptied before each request, as after any write): Django's
  test client in process (middleware, session, queries, template rendering; no network);
- the bare SQL of every figure the page shows, written by hand: the headline and per-theme figures with the last
  status update, each local plan's figures, the plan at the close of each of its last eight closed review cycles
  (the trend) and what changed since the last one (the change), each replayed from the status history;
- the narrower bare SQL earlier versions of this script compared with (headline, themes, local plans);
- the dashboard with the data unchanged (its body from the cache).

It prints the medians, the ratios, the number of queries of each kind of request and the size of the page, and
checks that the hand-written SQL and the page agree on the figures.
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

# The counts of one group of actions: total, each status, overdue, due soon, RAG of the open ones, and completions
# awaiting confirmation.
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
           COUNT(*) FILTER (WHERE a.status IN ('not_started', 'in_progress') AND a.rag = 'green'),
           COUNT(*) FILTER (WHERE a.completion_proposed_at IS NOT NULL)
"""
# The headline and per-theme figures of the national plan, and the latest status update.
FIGURES_SQL = f"""
    SELECT a.theme_id, {COUNTS}, MAX(a.last_update_at)
      FROM actions_action a
     WHERE a.plan_id = %(plan)s AND NOT a.not_applicable
     GROUP BY GROUPING SETS ((a.theme_id), ())
"""
# Each local plan (its police force and CPS Area by name) with the figures of its copies of national actions that
# apply locally, apart those of its own additions, and the number of copies not applicable locally.
LOCAL_SQL = f"""
    SELECT p.id, p.slug, f.short_name, f.name, ar.short_name, ar.name,
           a.mirrors_id IS NULL AS addition, a.not_applicable, {COUNTS}
      FROM themes_plan p
      JOIN actionplan_organisation f ON f.id = p.police_force_id
      JOIN actionplan_organisation ar ON ar.id = p.cps_area_id
      LEFT JOIN actions_action a ON a.plan_id = p.id
     WHERE p.mirrors_id = %(plan)s AND p.status IN ('published', 'archived')
     GROUP BY p.id, f.id, ar.id, 7, 8
     ORDER BY f.name
"""
# Each local plan's figures, all its actions together, as this script first compared with (before the page showed
# the additions and the copies not applicable apart).
LOCAL_FIRST_SQL = f"""
    SELECT a.plan_id, {COUNTS}
      FROM actions_action a
      JOIN themes_plan p ON p.id = a.plan_id
     WHERE p.mirrors_id = %(plan)s
     GROUP BY a.plan_id
"""
# The completions awaiting confirmation, with who proposed each and the leads.
PROPOSED_SQL = """
    SELECT a.id, a.reference, a.title, a.completion_proposed_at, a.completion_proposed_side,
           b.first_name, b.last_name, b.username, pl.first_name, pl.last_name, pl.username,
           cl.first_name, cl.last_name, cl.username
      FROM actions_action a
      LEFT JOIN actionplan_user b ON b.id = a.completion_proposed_by_id
      LEFT JOIN actionplan_user pl ON pl.id = a.police_lead_id
      LEFT JOIN actionplan_user cl ON cl.id = a.cps_lead_id
     WHERE a.plan_id = %(plan)s AND NOT a.not_applicable AND a.completion_proposed_at IS NOT NULL
     ORDER BY a.completion_proposed_at, a.reference_sort
"""
# The inspection recommendations by source and state, each state from the actions linked to the recommendation.
RECOMMENDATIONS_SQL = """
    WITH progress AS (
        SELECT r.id, r.source_id, r.closed_at,
               COUNT(DISTINCT l.id) FILTER (WHERE a.status <> 'closed') AS planned,
               COUNT(DISTINCT l.id) FILTER (WHERE a.status = 'completed') AS completed
          FROM reviews_recommendation r
          LEFT JOIN reviews_recommendationlink l ON l.recommendation_id = r.id
          LEFT JOIN actions_action a ON a.id = l.action_id
         GROUP BY r.id
    )
    SELECT s.id, s.title, s.short_title,
           CASE WHEN g.closed_at IS NOT NULL THEN 'closed' WHEN g.planned = 0 THEN 'not_planned'
                WHEN g.completed >= g.planned THEN 'addressed' ELSE 'in_progress' END AS state,
           COUNT(*)
      FROM progress g
      JOIN reviews_findingsource s ON s.id = g.source_id
     GROUP BY s.id, 4
     ORDER BY s.published_on, s.title
"""
# The local plans by national theme, as the dashboard showed them before each theme had its own page.
ROLLUP_BY_THEME_SQL = f"""
    SELECT a.plan_id, t.mirrors_id, {COUNTS}
      FROM actions_action a
      JOIN themes_plan p ON p.id = a.plan_id
      JOIN themes_theme t ON t.id = a.theme_id
     WHERE p.mirrors_id = %(plan)s
     GROUP BY a.plan_id, t.mirrors_id
"""
# Each action of the plan at the close of each of the plan's last eight closed review cycles: the status and RAG
# of the last update by then (else what the first later update changed from, else the present value) and the
# target date the last revision by then set (else the one the first later revision replaced, else the present).
STATES_CTE = """
    WITH cycles AS (
        SELECT c.id, c.closed_at AS cutoff, (c.closed_at AT TIME ZONE %(tz)s)::date AS day
          FROM themes_reviewcycle c
         WHERE c.plan_id = %(plan)s AND c.state = 'closed' AND c.closed_at IS NOT NULL
         ORDER BY c.board_meeting_on DESC, c.id DESC
         LIMIT 8
    ),
    states AS (
        SELECT c.id AS cycle_id, c.day, a.id AS action_id,
               COALESCE(b.status_to, NULLIF(f.status_from, ''), a.status) AS status,
               COALESCE(b.rag_to, NULLIF(f.rag_from, ''), a.rag) AS rag,
               COALESCE(rb.target_date_to, rf.target_date_from,
                        COALESCE(a.revised_target_date, a.target_date)) AS target
          FROM cycles c
          JOIN actions_action a ON a.plan_id = %(plan)s AND a.created_at <= c.cutoff
          LEFT JOIN LATERAL (
              SELECT u.status_to, u.rag_to FROM actions_statusupdate u
               WHERE u.action_id = a.id AND u.created_at <= c.cutoff
               ORDER BY u.created_at DESC, u.id DESC LIMIT 1) b ON true
          LEFT JOIN LATERAL (
              SELECT u.status_from, u.rag_from FROM actions_statusupdate u
               WHERE u.action_id = a.id AND u.created_at > c.cutoff
               ORDER BY u.created_at, u.id LIMIT 1) f ON true
          LEFT JOIN LATERAL (
              SELECT u.target_date_to FROM actions_statusupdate u
               WHERE u.action_id = a.id AND u.target_date_to IS NOT NULL AND u.created_at <= c.cutoff
               ORDER BY u.created_at DESC, u.id DESC LIMIT 1) rb ON true
          LEFT JOIN LATERAL (
              SELECT u.target_date_from FROM actions_statusupdate u
               WHERE u.action_id = a.id AND u.target_date_to IS NOT NULL AND u.created_at > c.cutoff
               ORDER BY u.created_at, u.id LIMIT 1) rf ON true
    )
"""
# The trend: completion and RAG of the open actions, and the overdue ones, at each cycle.
TREND_SQL = (
    STATES_CTE
    + """
    SELECT s.cycle_id,
           COUNT(*) FILTER (WHERE s.status = 'completed'),
           COUNT(*) FILTER (WHERE s.status <> 'closed'),
           COUNT(*) FILTER (WHERE s.status IN ('not_started', 'in_progress') AND s.rag = 'red'),
           COUNT(*) FILTER (WHERE s.status IN ('not_started', 'in_progress') AND s.rag = 'amber'),
           COUNT(*) FILTER (WHERE s.status IN ('not_started', 'in_progress') AND s.rag = 'green'),
           COUNT(*) FILTER (WHERE s.status IN ('not_started', 'in_progress') AND s.target < s.day)
      FROM states s
     GROUP BY s.cycle_id
"""
)
# The change since the last closed cycle: each action that changed status or RAG, was completed, became overdue
# or was added since, with what the page lists of it.
CHANGE_SQL = (
    STATES_CTE
    + """
    , latest AS (SELECT id, cutoff, day FROM cycles ORDER BY cutoff DESC LIMIT 1)
    SELECT a.id, a.reference, a.title, t.number, s.status, s.rag, a.status, a.rag,
           COALESCE(a.revised_target_date, a.target_date),
           s.action_id IS NULL AS added,
           s.action_id IS NOT NULL AND (s.status <> a.status OR s.rag <> a.rag) AS changed,
           a.status = 'completed' AND (s.action_id IS NULL OR s.status <> 'completed') AS completed,
           a.status IN ('not_started', 'in_progress') AND COALESCE(a.revised_target_date, a.target_date) < %(today)s
             AND NOT COALESCE(s.status IN ('not_started', 'in_progress') AND s.target < l.day, false)
             AS newly_overdue
      FROM actions_action a
      JOIN themes_theme t ON t.id = a.theme_id
      CROSS JOIN latest l
      LEFT JOIN states s ON s.action_id = a.id AND s.cycle_id = l.id
     WHERE a.plan_id = %(plan)s
       AND (s.action_id IS NULL OR s.status <> a.status OR s.rag <> a.rag
            OR (a.status = 'completed' AND s.status <> 'completed')
            OR (a.status IN ('not_started', 'in_progress')
                AND COALESCE(a.revised_target_date, a.target_date) < %(today)s))
     ORDER BY t.number, a.reference_sort
"""
)


def run_sql(cursor, statements, params) -> list[list]:
    results = []
    for statement in statements:
        cursor.execute(statement, params)
        results.append(cursor.fetchall())
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests of each kind (default 30)")
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
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from actionplan.models import User
    from actions.models import Action, StatusUpdate
    from reviews.recommendation_selectors import recommendation_summary
    from reviews.selectors import (
        actions_histories,
        changes_since,
        latest_closed,
        local_plans_rollup,
        plan_closed_cycles,
        plan_figures,
        trend_across_cycles,
        trend_cycles,
    )
    from themes.models import Plan
    from themes.selectors import local_plans_of, plan_national_current

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
    today = timezone.localdate()
    params = {"plan": plan.pk, "today": today, "soon": today + timedelta(days=30), "tz": settings.TIME_ZONE}
    every_figure = [FIGURES_SQL, LOCAL_SQL, TREND_SQL, CHANGE_SQL, PROPOSED_SQL, RECOMMENDATIONS_SQL]
    narrow = [FIGURES_SQL, ROLLUP_BY_THEME_SQL]
    # The bare SQL as first written, before the page showed proposals, recommendations and local additions.
    first_written = [FIGURES_SQL, LOCAL_FIRST_SQL, TREND_SQL, CHANGE_SQL]

    # The hand-written SQL and the dashboard's selectors agree.
    with connection.cursor() as cursor:
        figures_rows, local_rows, trend_rows, change_rows, proposed_rows, recommendation_rows = run_sql(
            cursor, every_figure, params
        )
    headline = next(row for row in figures_rows if row[0] is None)
    cycles = plan_closed_cycles(plan=plan)
    histories = actions_histories(actions=plan.actions.all())
    shown = plan_figures(histories=histories, themes=list(plan.themes.order_by("number")), today=today)
    trend = trend_across_cycles(
        plan=plan, actions=plan.actions.all(), today=today, cycles=trend_cycles(cycles), histories=histories
    )
    change = changes_since(
        actions=plan.actions.all(), since=latest_closed(cycles), moment=None, day=today, histories=histories
    )
    by_cycle = {row[0]: row[1:] for row in trend_rows}
    # Each local plan: (copies that apply, of them completed, additions, of them completed, not applicable).
    local_sql: dict[int, list[int]] = {}
    for row in local_rows:
        counts = local_sql.setdefault(row[0], [0, 0, 0, 0, 0])
        if row[7]:
            counts[4] += row[8]
        elif row[6]:
            counts[2:4] = [row[8], row[11]]
        else:
            counts[0:2] = [row[8], row[11]]
    local_app = {
        row.plan.pk: [row.figures.total, row.figures.completed, row.additions.total, row.additions.completed,
                      row.not_applicable]
        for row in local_plans_rollup(
            local_plans=local_plans_of(plan=plan, user=viewer), local_actions=None, themes=[], today=today
        )
    }  # fmt: skip
    recommendations_sql: dict[str, int] = {}
    for row in recommendation_rows:
        recommendations_sql[row[3]] = recommendations_sql.get(row[3], 0) + row[4]
    recommendations_app = {state: n for state, n in recommendation_summary().totals.items() if n}
    agree = (
        headline[1] == shown.figures.total
        and headline[4] == shown.figures.completed
        and headline[12] == shown.last_updated
        and headline[11] == shown.figures.completion_proposed
        and len(proposed_rows) == shown.figures.completion_proposed
        and [by_cycle[cycle.pk][0] for cycle in trend_cycles(cycles)] == [p.figures.completed for p in trend[:-1]]
        and [by_cycle[cycle.pk][5] for cycle in trend_cycles(cycles)] == [p.figures.overdue for p in trend[:-1]]
        and sorted(row[1] for row in change_rows if row[10]) == sorted(c.action.reference for c in change.changed)
        and sorted(row[1] for row in change_rows if row[12]) == sorted(a.reference for a in change.newly_overdue)
        and local_sql == local_app
        and recommendations_sql == recommendations_app
    )
    print(f"The hand-written SQL and the dashboard agree on the figures: {'yes' if agree else 'NO'}")

    for _ in range(3):  # warm up: template loading, connection, the database's caches
        cache.clear()
        assert client.get(url).status_code == 200
        with connection.cursor() as cursor:
            run_sql(cursor, every_figure + narrow + first_written, params)

    cold, sql, sql_narrow, sql_first, warm = [], [], [], [], []
    size = 0
    for _ in range(args.requests):
        cache.clear()  # every figure computed from the database, as after any write
        started = time.perf_counter()
        response = client.get(url)
        cold.append(time.perf_counter() - started)
        assert response.status_code == 200
        size = len(response.content)
        started = time.perf_counter()
        response = client.get(url)
        warm.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            started = time.perf_counter()
            run_sql(cursor, every_figure, params)
            sql.append(time.perf_counter() - started)
            started = time.perf_counter()
            run_sql(cursor, narrow, params)
            sql_narrow.append(time.perf_counter() - started)
            started = time.perf_counter()
            run_sql(cursor, first_written, params)
            sql_first.append(time.perf_counter() - started)

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    cold_queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    warm_queries = len(captured)

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    n = args.requests
    print(f"Dashboard page: {size / 1024:.1f} KB")
    print(f"Bare SQL of every figure the page shows, median of {n}: {ms(sql):.1f} ms")
    # Each turn's ratio, measured a moment apart: steadier than the ratio of medians when the machine is busy.
    ratios = [page / bare for page, bare in zip(cold, sql, strict=True)]
    print(
        f"Dashboard, every figure recomputed (as after a write), median of {n}: {ms(cold):.1f} ms, "
        f"{ms(cold) / ms(sql):.1f}x the bare SQL (median of each turn's ratio {statistics.median(ratios):.1f}x), "
        f"{cold_queries} queries"
    )
    print(
        f"Dashboard, data unchanged since the last request (cached body), median of {n}: {ms(warm):.1f} ms, "
        f"{ms(warm) / ms(sql):.1f}x the bare SQL, {warm_queries} queries"
    )
    print(
        f"Narrower bare SQL (headline, themes and local plans by theme only), median of {n}: {ms(sql_narrow):.1f} ms; "
        f"the recomputed dashboard is {ms(cold) / ms(sql_narrow):.1f}x that"
    )
    print(
        f"Bare SQL as first written (headline and themes, local plans, trend, change: without the figures the page "
        f"has shown since), median of {n}: {ms(sql_first):.1f} ms; the recomputed dashboard is "
        f"{ms(cold) / ms(sql_first):.1f}x that"
    )
    print("Target: the recomputed dashboard within 5x the bare SQL of its figures.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
