"""The README's backup and restore, done for real: `pg_dump -Fc` the database, restore it with `pg_restore` into
an empty database, and every row of every table is back, identical (counts and checksums)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from actions.models import Action, Side, StatusUpdate
from actions.services import action_update_status
from tests.factories import ActionFactory, ReviewCycleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The tables a restore must bring back whole; every other table is compared too (see `fingerprints`).
KEY_TABLES = ["actions_action", "actions_statusupdate", "actions_historicalaction", "themes_historicalplan"]


def fingerprints(cursor) -> dict[str, tuple[int, str]]:
    """(row count, md5 of every row's text in primary key order) for every table of the public schema."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    result = {}
    for table in tables:
        cursor.execute(
            f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{table}\" t"
        )
        result[table] = tuple(cursor.fetchone())
    return result


def client_env() -> tuple[dict[str, str], list[str]]:
    """Environment and connection arguments for pg_dump and pg_restore, from Django's connection settings."""
    settings = connection.settings_dict
    env = {**os.environ}
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    args = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    return env, args


def test_dump_wipe_restore_brings_back_every_action_update_and_history_row(
    tmp_path, national_plan, police_lead, police_action, joint_action, cps_lead
):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("needs pg_dump and pg_restore (Debian package postgresql-client)")
    cycle = ReviewCycleFactory(plan=national_plan, name="Q1", opens_on=police_action.start_date)
    more = ActionFactory.create_batch(5, theme=national_plan.themes.first(), side=Side.POLICE, police_lead=police_lead)
    for action in [police_action, joint_action, *more]:
        action_update_status(
            action=action,
            by=police_lead,
            status="in_progress",
            rag="amber",
            narrative="Recruitment of trainers is behind plan; “quotes”, accents (é) and a line\nbreak survive.",
            revised_target_date=max(action.target_date, timezone.localdate()) + timedelta(days=30),
            revision_reason="Waiting for the inspection report.",
            expected_version=action.version,
        )
    police_action.refresh_from_db()
    action_update_status(
        action=police_action,
        by=police_lead,
        status="completed",
        rag="green",
        narrative="Delivered in every force area.",
        expected_version=2,
    )
    assert StatusUpdate.objects.count() == 8 and cycle.pk

    env, args = client_env()
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "rasso.dump"
    with connection.cursor() as cursor:
        before = fingerprints(cursor)
    assert before["actions_action"][0] == Action.objects.count() == 7
    assert before["actions_historicalaction"][0] > 7

    # Back up, as the README says.
    subprocess.run(["pg_dump", "-Fc", *args, "-d", source, "-f", str(dump)], env=env, check=True, timeout=120)
    assert dump.stat().st_size > 0

    # Wipe: the restore goes into an empty database (the README's procedure after losing the database).
    subprocess.run(["dropdb", "--if-exists", *args, restored], env=env, check=True, timeout=60)
    subprocess.run(["createdb", *args, restored], env=env, check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", *args, "-d", restored, str(dump)],
            env=env,
            check=True,
            timeout=120,
        )
        import psycopg2

        settings = connection.settings_dict
        other = psycopg2.connect(
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname=restored,
        )
        try:
            with other.cursor() as cursor:
                after = fingerprints(cursor)
                cursor.execute("SELECT narrative FROM actions_statusupdate WHERE status_to = 'completed'")
                assert cursor.fetchall() == [("Delivered in every force area.",)]
        finally:
            other.close()
    finally:
        subprocess.run(["dropdb", "--if-exists", *args, restored], env=env, check=True, timeout=60)

    for table in KEY_TABLES:
        assert after[table] == before[table], table
    assert after == before
