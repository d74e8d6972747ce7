"""The demo stays usable now that admins need a second factor: seed_demo says so, and the demo admin gets in by
setting up an authenticator app at the first sign-in."""

from __future__ import annotations

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command

from tests.otp import code_for_key

pytestmark = pytest.mark.django_db

PASSWORD = "Blue-Harbour-42"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--password", PASSWORD, "--scale", "1", stdout=out)
    return out.getvalue()


def test_the_demo_says_the_admin_will_set_up_two_factor_at_first_sign_in():
    out = seed()
    assert "the first time admin signs in, the service shows a QR code" in out
    assert "The other demo users sign in with the password alone." in out


def test_the_demo_admin_signs_in_by_setting_up_an_app_and_the_leads_with_a_password(client):
    seed()
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert response["Location"].startswith("/accounts/two-factor/set-up/")
    page = client.get(response["Location"]).content.decode()
    key = b32decode(re.search(r'id="setup-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")).hex()
    assert client.post("/accounts/two-factor/set-up/", {"code": code_for_key(key)}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "police.lead", "password": PASSWORD})
    assert response["Location"] == "/landing/"
