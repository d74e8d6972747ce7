"""Checks behind /healthz: each returns "ok" or a short description of what is wrong."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

HEARTBEAT_STALE_AFTER = timedelta(minutes=5)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means the database is unusable
        return f"error: {type(exc).__name__}"
    return "ok"


def check_broker() -> str:
    from actionplan.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"


def worker_heartbeat() -> str:
    """Informational: how recently a Celery worker ran the heartbeat task. Does not fail the check."""
    from .models import Heartbeat

    try:
        beat = Heartbeat.objects.filter(name="worker").first()
    except Exception:  # noqa: BLE001
        return "unknown"
    if beat is None:
        return "not seen"
    return "ok" if timezone.now() - beat.seen_at <= HEARTBEAT_STALE_AFTER else "stale"


def health_report() -> tuple[dict[str, str], bool]:
    report = {"database": check_database(), "broker": check_broker()}
    healthy = all(value == "ok" for value in report.values())
    report["worker"] = worker_heartbeat() if report["database"] == "ok" else "unknown"
    report["status"] = "ok" if healthy else "error"
    return report, healthy
