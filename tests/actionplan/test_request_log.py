"""Every request is logged as one JSON line, and a server error's page gives a reference that finds it."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from actionplan.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def request_lines(caplog) -> list[dict]:
    return [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "actionplan.request"]


def test_each_request_is_one_json_line_with_method_path_status_duration_and_user(
    client, police_lead, police_action, caplog
):
    caplog.set_level(logging.INFO, logger="actionplan.request")
    client.force_login(police_lead)

    response = client.get(f"/actions/{police_action.pk}/?tab=history")

    lines = request_lines(caplog)
    assert len(lines) == 1
    line = lines[0]
    assert line["event"] == "request"
    assert (line["method"], line["path"], line["status"]) == ("GET", f"/actions/{police_action.pk}/", 200)
    assert line["user_id"] == police_lead.pk
    assert isinstance(line["duration_ms"], float) and 0 < line["duration_ms"] < 60_000
    assert line["level"] == "INFO" and line["logger"] == "actionplan.request"
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 16


def test_anonymous_requests_and_refusals_are_logged_too(client, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.request")
    client.get("/reviews/dashboard/")
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    lines = request_lines(caplog)
    assert [(line["method"], line["path"], line["status"], line["user_id"]) for line in lines] == [
        ("GET", "/reviews/dashboard/", 302, None),
        ("POST", "/accounts/login/", 200, None),
    ]
    assert lines[0]["request_id"] != lines[1]["request_id"]


def test_a_client_cannot_choose_its_request_id_but_a_trusted_proxy_can(client, settings, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.request")
    response = client.get("/healthz", headers={"X-Request-ID": "chosen-by-the-client-0001"})
    assert response["X-Request-ID"] != "chosen-by-the-client-0001"

    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/healthz", headers={"X-Request-ID": "0123456789abcdef0123456789abcdef"})
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    # A value that is not an id (a line break, a quote, a JSON fragment) is replaced even from the proxy.
    response = client.get("/healthz", headers={"X-Request-ID": 'x", "status": 200'})
    assert response["X-Request-ID"] != 'x", "status": 200'
    assert request_lines(caplog)[1]["request_id"] == "0123456789abcdef0123456789abcdef"


def test_a_server_error_shows_a_reference_that_finds_its_log_lines(police_lead, caplog, monkeypatch):
    caplog.set_level(logging.INFO)

    def broken():
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr("actionplan.views.health_report", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/healthz")

    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    reference = response["X-Request-ID"]
    assert f"give them this reference: <strong>{reference}</strong>" in body
    assert "the disk is on fire" not in body

    formatted = [json.loads(JsonFormatter().format(record)) for record in caplog.records]
    mine = [line for line in formatted if line.get("request_id") == reference]
    request_line = next(line for line in mine if line["logger"] == "actionplan.request")
    assert (request_line["path"], request_line["status"], request_line["level"]) == ("/healthz", 500, "ERROR")
    # Django's own error line, with the traceback, carries the same reference.
    error_line = next(line for line in mine if line["logger"] == "django.request")
    assert "RuntimeError: the disk is on fire" in error_line["exception"]


def test_log_lines_outside_a_request_have_no_request_id():
    record = logging.LogRecord("actionplan.tasks", logging.INFO, __file__, 1, "Swept %s reminders", (3,), None)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Swept 3 reminders"
    assert "request_id" not in line


def test_security_events_are_json_lines_with_their_fields_at_the_top(client, police_lead, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    client.post("/accounts/login/", {"username": "police.lead", "password": "correct-horse-battery"})
    record = next(r for r in caplog.records if r.name == "actionplan.security")
    line = json.loads(JsonFormatter().format(record))
    assert (line["event"], line["user"], line["role"]) == ("sign_in", "police.lead", "lead")
    assert line["request_id"]
