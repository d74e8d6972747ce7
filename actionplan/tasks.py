from __future__ import annotations

from celery import shared_task

from .services import heartbeat_record


@shared_task
def heartbeat() -> str:
    """Record that a worker is alive and beat is firing; /healthz reports its age."""
    return heartbeat_record(name="worker").isoformat()
