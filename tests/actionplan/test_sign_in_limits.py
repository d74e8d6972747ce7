"""Distributed guessing: failures for one username are counted across every address, and past the limit sign-in with
that username waits (HTTP 429) without the password being checked, except from addresses the person signs in from."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from actionplan.models import SignInRecord
from tests.otp import authenticator_for, next_code, wrong_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


def attempt(client, password: str, address: str, username: str = "police.lead"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def spray(client, count: int, username: str = "police.lead") -> None:
    """Wrong passwords from `count` different addresses: each stays under the per-address lockout."""
    for n in range(count):
        assert attempt(client, "wrong", f"203.0.113.{n + 1}", username).status_code == 200


def events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "actionplan.security"]


def test_the_limit_is_ten_failures_in_fifteen_minutes_by_default(settings):
    assert (settings.SIGNIN_USERNAME_FAILURE_LIMIT, settings.SIGNIN_USERNAME_WINDOW_MINUTES) == (10, 15)


def test_past_the_limit_a_new_address_waits_even_with_the_right_password(client, police_lead, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    spray(client, 10)
    response = attempt(client, PASSWORD, "198.51.100.7")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    body = response.content.decode()
    assert "There have been too many attempts to sign in with this username. Wait 15 minutes and try again." in body
    assert "_auth_user_id" not in client.session
    logged = events(caplog)
    assert {e["event"] for e in logged} >= {"sign_in_username_limit_reached", "sign_in_throttled"}
    throttled = [e for e in logged if e["event"] == "sign_in_throttled"]
    assert throttled[0]["username"] == "police.lead" and throttled[0]["ip"] == "198.51.100.7"


def test_a_refused_attempt_is_not_counted_and_checks_no_password(client, police_lead, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    spray(client, 10)
    failures = SignInRecord.objects.filter(outcome="failed").count()
    for _ in range(5):
        assert attempt(client, "wrong", "198.51.100.7").status_code == 429
    assert SignInRecord.objects.filter(outcome="failed").count() == failures
    assert "sign_in_failed" not in [e["event"] for e in events(caplog)[-5:]]


def test_the_person_at_an_address_they_sign_in_from_is_not_slowed(client, police_lead):
    assert attempt(client, PASSWORD, "192.0.2.10").status_code == 302  # their office, last week
    client.post("/accounts/logout/", REMOTE_ADDR="192.0.2.10")
    spray(client, 10)
    assert attempt(client, PASSWORD, "198.51.100.7").status_code == 429
    assert attempt(client, PASSWORD, "192.0.2.10").status_code == 302


def test_sign_in_opens_again_once_the_failures_leave_the_window(client, police_lead):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        spray(client, 10)
        assert attempt(client, PASSWORD, "198.51.100.7").status_code == 429
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        response = attempt(client, PASSWORD, "198.51.100.7")
        assert response.status_code == 429
        assert "Wait 5 minutes" in response.content.decode()
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert attempt(client, PASSWORD, "198.51.100.7").status_code == 302


def test_an_unknown_username_is_answered_the_same_way(client, police_lead):
    spray(client, 10, username="no.such.person")
    assert attempt(client, "anything", "198.51.100.7", username="no.such.person").status_code == 429
    # Other people are not affected.
    assert attempt(client, PASSWORD, "198.51.100.7").status_code == 302


def test_wrong_codes_count_and_the_code_step_waits_too(client, admin_user, settings):
    settings.SIGNIN_USERNAME_FAILURE_LIMIT = 3
    device = authenticator_for(admin_user)
    for n in range(3):
        address = f"203.0.113.{n + 1}"
        attempt(client, PASSWORD, address, username="admin")
        assert (
            client.post("/accounts/login/code/", {"code": wrong_code(device)}, REMOTE_ADDR=address).status_code == 200
        )
        client.post("/accounts/logout/", REMOTE_ADDR=address)
    # The password step waits now, from a new address.
    assert attempt(client, PASSWORD, "198.51.100.7", username="admin").status_code == 429
    # And someone already past the password from a new address waits at the code step, even with the right code.
    settings.SIGNIN_USERNAME_FAILURE_LIMIT = 4
    attempt(client, PASSWORD, "198.51.100.8", username="admin")
    settings.SIGNIN_USERNAME_FAILURE_LIMIT = 3
    response = client.post("/accounts/login/code/", {"code": next_code(device)}, REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 429
    assert "Wait 15 minutes and try again" in response.content.decode()
    assert client.get("/", REMOTE_ADDR="198.51.100.8")["Location"].startswith("/accounts/login/code/")


def test_failures_older_than_the_window_are_forgotten(client, police_lead):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        spray(client, 3)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        attempt(client, "wrong", "203.0.113.99")
    assert SignInRecord.objects.filter(outcome="failed").count() == 1


def test_completed_sign_ins_are_kept_as_known_addresses_for_thirty_days(client, police_lead):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt(client, PASSWORD, "192.0.2.10")
        client.post("/accounts/logout/")
    with time_machine.travel(start + timedelta(days=31), tick=False):
        spray(client, 10)
        assert attempt(client, PASSWORD, "192.0.2.10").status_code == 429
