"""Sign-ins, sign-outs, failures and lockouts are logged as structured security events."""

from __future__ import annotations

import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "actionplan.security"]


def test_sign_in_out_and_failures_are_logged_without_passwords(client, police_lead, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    client.post("/accounts/login/", {"username": "police.lead", "password": "wrong-secret"})
    client.post("/accounts/login/", {"username": "police.lead", "password": "correct-horse-battery"})
    client.post("/accounts/logout/")
    logged = events(caplog)
    assert [e["event"] for e in logged] == ["sign_in_failed", "sign_in", "sign_out"]
    assert logged[0]["username"] == "police.lead"
    assert logged[1] == {"event": "sign_in", "ip": "127.0.0.1", "role": "lead", "user": "police.lead"}
    assert "wrong-secret" not in caplog.text
    assert "correct-horse-battery" not in caplog.text


def test_lockout_is_logged(client, police_lead, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "police.lead", "password": "wrong"})
    assert "sign_in_locked_out" in [e["event"] for e in events(caplog)]
