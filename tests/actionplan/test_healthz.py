from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from actionplan.celery import app as celery_app

pytestmark = pytest.mark.django_db

# A password in a service's URL: /healthz is public, so it must never show it.
PASSWORD_IN_URL = "s3cret-in-the-url"


def test_healthz_reports_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["status"] == "ok"
    assert body["worker"] in {"ok", "not seen", "stale"}


def test_healthz_names_the_broker_when_it_is_unreachable_and_not_its_password(client, monkeypatch):
    # Port 9 (discard) has no broker listening: the connection is refused.
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://rasso:{PASSWORD_IN_URL}@127.0.0.1:9/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert PASSWORD_IN_URL not in response.content.decode()
    body = response.json()
    assert (body["database"], body["broker"], body["status"]) == ("ok", "error: OperationalError", "error")


def test_healthz_names_the_database_when_it_fails_and_not_its_password(client):
    # A driver may put the connection string, password and all, in its error.
    refused = OperationalError(f"could not connect to postgres://rasso:{PASSWORD_IN_URL}@db.internal:5432/rasso")
    with mock.patch("actionplan.health.connection.cursor", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert PASSWORD_IN_URL not in response.content.decode()
    body = response.json()
    assert (body["database"], body["broker"], body["status"]) == ("error: OperationalError", "ok", "error")
    assert body["worker"] == "unknown"


def test_heartbeat_is_reported_once_a_worker_has_run_it(client):
    from actionplan.tasks import heartbeat

    heartbeat.apply()
    assert client.get("/healthz").json()["worker"] == "ok"
