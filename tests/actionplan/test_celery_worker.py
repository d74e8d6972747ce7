"""A task queued by the web process is executed by a real Celery worker through Redis."""

from __future__ import annotations

import time

import pytest

from actionplan.models import Heartbeat
from actionplan.tasks import heartbeat

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.celery]


def test_real_worker_runs_the_heartbeat_through_redis(transactional_db, celery_worker_process, client):
    celery_worker_process()
    assert not Heartbeat.objects.exists()

    heartbeat.delay()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Heartbeat.objects.filter(name="worker").exists():
        time.sleep(0.2)
    assert Heartbeat.objects.filter(name="worker").exists(), "the worker did not run the task within 30 seconds"
    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok", "worker": "ok", "status": "ok"}
