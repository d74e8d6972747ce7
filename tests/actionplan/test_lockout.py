"""Repeated wrong passwords pause sign-in for that username from that address (django-axes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, password: str):
    return client.post(LOGIN, {"username": "police.lead", "password": password})


def test_five_wrong_passwords_pause_sign_in_even_with_the_right_one(client, police_lead, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    assert attempt(client, "correct-horse-battery").status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_in_works_again_after_the_cool_off(client, police_lead):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "wrong")
        assert attempt(client, "correct-horse-battery").status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = attempt(client, "correct-horse-battery")
    assert response.status_code == 302


def test_a_success_clears_earlier_failures(client, police_lead):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "correct-horse-battery").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200


def test_another_username_is_not_paused(client, police_lead, cps_lead):
    for _ in range(5):
        attempt(client, "wrong")
    response = client.post(LOGIN, {"username": "cps.lead", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_behind_a_proxy_the_proxys_view_of_the_address_counts(rf, settings):
    from actionplan.auth import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the client's own claim (6.6.6.6) is not trusted
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
