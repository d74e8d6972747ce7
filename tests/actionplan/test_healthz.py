from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from kombu import Connection

from actionplan.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["status"] == "ok"
    assert body["worker"] in {"ok", "not seen", "stale"}


def test_healthz_names_the_broker_when_it_is_unreachable(client):
    # Port 9 (discard) has no broker listening: the connection is refused.
    unreachable = Connection("redis://127.0.0.1:9/0", connect_timeout=1)
    with mock.patch.object(celery_app, "connection_for_write", return_value=unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")
    assert body["status"] == "error"


def test_healthz_names_the_database_when_it_fails(client):
    with mock.patch("actionplan.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_healthz_reveals_nothing_sensitive(client):
    text = client.get("/healthz").content.decode()
    for secret in ("postgres://", "redis://", "password", "SECRET"):
        assert secret not in text


def test_heartbeat_is_reported_once_a_worker_has_run_it(client):
    from actionplan.tasks import heartbeat

    heartbeat.apply()
    assert client.get("/healthz").json()["worker"] == "ok"
