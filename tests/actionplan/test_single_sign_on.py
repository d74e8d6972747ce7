"""Single sign-on through OpenID Connect, against a small provider running in the test (tests/oidc_provider.py):
off by default; people matched to an existing active person by email; nobody created; a second factor still owed;
and every kind of misbehaving provider or forged callback ending in a page that says so, never a server error."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from actionplan.models import User
from tests.factories import UserFactory
from tests.oidc_provider import CLIENT_ID, FakeProvider, follow_provider
from tests.otp import authenticator_for, next_code

pytestmark = pytest.mark.django_db

START = "/accounts/sso/start/"


@pytest.fixture
def provider():
    running = FakeProvider().start()
    yield running
    running.stop()


@pytest.fixture
def sso(settings, provider):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


@pytest.fixture
def paula(police_lead):
    police_lead.email = "Paula@Police.example"
    police_lead.save()
    return police_lead


def events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "actionplan.security"]


def sso_sign_in(client, next_url: str = ""):
    start = client.get(START + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    return client.get(follow_provider(start["Location"]))


def test_single_sign_on_is_off_unless_set_up(client, settings):
    assert settings.OIDC_ENABLED is False
    assert client.get(START).status_code == 404
    assert client.get("/accounts/sso/callback/?code=x&state=y").status_code == 404
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()


def test_the_sign_in_page_offers_the_provider(client, sso):
    page = client.get("/accounts/login/?next=/reviews/").content.decode()
    assert "Sign in with Police single sign-on" in page
    assert 'href="/accounts/sso/start/?next=%2Freviews%2F"' in page


def test_the_service_asks_the_provider_with_state_nonce_and_pkce(client, sso):
    location = client.get(START)["Location"]
    assert location.startswith(sso.issuer + "/authorize?")
    query = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/accounts/sso/callback/"
    assert query["scope"] == "openid email"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32


def test_a_person_is_matched_by_email_whatever_its_case(client, sso, paula, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    people = User.objects.count()
    response = sso_sign_in(client, next_url="/actions/mine/")
    assert response.status_code == 302
    assert response["Location"] == "/actions/mine/"
    assert int(client.session["_auth_user_id"]) == paula.pk
    assert client.get(reverse("actions:mine")).status_code == 200
    assert User.objects.count() == people
    assert {"event": "sign_in", "ip": "127.0.0.1", "method": "sso", "role": "lead", "user": "police.lead"} in events(
        caplog
    )


def test_an_unknown_email_is_refused_and_nobody_is_created(client, sso, paula, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    sso.person = {"sub": "x-9", "email": "stranger@police.example", "email_verified": True}
    people = User.objects.count()
    response = sso_sign_in(client)
    assert response.status_code == 403
    assert "You could not be signed in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == people
    assert {
        "event": "sso_refused",
        "ip": "127.0.0.1",
        "reason": "no person with this email",
        "email": "stranger@police.example",
    } in events(caplog)


def test_an_admin_signing_on_still_owes_the_code(client, sso, admin_user):
    admin_user.email = "paula@police.example"
    admin_user.save()
    response = sso_sign_in(client, next_url="/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/?next=%2Fadmin%2F"
    assert client.get("/admin/")["Location"].startswith("/accounts/login/code/")
    client.post("/accounts/login/code/", {"code": next_code(authenticator_for(admin_user))})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "person",
    [
        {"sub": "p-1", "email": "paula@police.example", "email_verified": False},
        {"sub": "p-1"},
        {"sub": "p-1", "email": ""},
        {"sub": "p-1", "email": "paula@police.example\x00"},
        {"sub": "p-1", "email": ["paula@police.example"]},
        {"sub": "p-1", "email": "x" * 300 + "@police.example"},
    ],
)
def test_claims_that_do_not_vouch_for_an_address_are_refused(client, sso, paula, person):
    sso.person = person
    assert sso_sign_in(client).status_code == 403
    assert "_auth_user_id" not in client.session


def test_two_people_with_the_same_email_are_both_refused(client, sso, paula):
    UserFactory(username="paula.two", email="paula@police.example")
    assert sso_sign_in(client).status_code == 403


def test_an_inactive_person_is_refused(client, sso, paula):
    paula.is_active = False
    paula.save()
    assert sso_sign_in(client).status_code == 403


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-client"},
        {"iss": "http://127.0.0.1:1/elsewhere"},
        {"exp": 1_000_000_000, "iat": 999_999_000},
        {"nonce": "not-the-one-sent"},
        {"_key": rsa.generate_private_key(public_exponent=65537, key_size=2048)},
        {"_key": "a-shared-secret-long-enough-for-hs256-signing", "_alg": "HS256"},
    ],
    ids=["audience", "issuer", "expired", "nonce", "other-key", "hs256"],
)
def test_an_id_token_that_does_not_verify_is_refused(client, sso, paula, changes, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    sso.id_token_changes = changes
    response = sso_sign_in(client)
    assert response.status_code == 400
    assert "You could not be signed in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "sso_failed" in [e["event"] for e in events(caplog)]


def test_a_forged_state_is_refused(client, sso, paula):
    start = client.get(START)
    callback = follow_provider(start["Location"])
    forged = callback.replace("state=", "state=forged")
    assert client.get(forged).status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "query",
    [
        "code=x&state=y",
        "code=&state=",
        "error=access_denied&state=y",
        "code=" + "x" * 10_000 + "&state=y",
        "state=y",
        "",
    ],
)
def test_a_callback_without_a_sign_on_in_progress_is_refused(client, sso, query):
    response = client.get(f"/accounts/sso/callback/?{query}")
    assert response.status_code in (400, 403)
    assert "You could not be signed in" in response.content.decode()


def test_a_callback_with_a_nul_in_its_address_is_refused_before_it_is_read(client, sso):
    response = client.get("/accounts/sso/callback/?code=%00&state=%00")
    assert response.status_code == 400
    assert "The web address contains a character that cannot be used" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_provider_that_cannot_be_reached_gets_a_page_not_an_error(client, sso, paula):
    start = client.get(START)
    callback = follow_provider(start["Location"])
    sso.stop()
    response = client.get(callback)
    assert response.status_code == 502
    assert "You could not be signed in" in response.content.decode()


def test_a_provider_failing_at_the_token_endpoint_gets_a_page_not_an_error(client, sso, paula):
    sso.token_status = "500 Internal Server Error"
    assert sso_sign_in(client).status_code == 502


def test_half_set_up_single_sign_on_stops_the_service_from_starting():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OIDC_")},
        "DJANGO_SETTINGS_MODULE": "actionplan.settings.test",
        "OIDC_RP_CLIENT_ID": "rasso",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert (
        "Single sign-on is on (OIDC_RP_CLIENT_ID is set) but OIDC_RP_CLIENT_SECRET, OIDC_OP_TOKEN_ENDPOINT, "
        "OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT is not" in result.stderr
    )
