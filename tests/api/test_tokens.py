"""A personal API token's life: created and named on the API tokens page, shown once, used, revoked."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import MAX_ACTIVE_TOKENS, api_token_create

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<code class="app-token" id="new-token">(rasso_[A-Za-z0-9_-]+)</code>')


def create_on_page(client, name: str):
    return client.post(reverse("api_tokens:list"), {"name": name}, follow=True)


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_is_created_named_shown_once_and_only_its_hash_is_kept(client, board_member, police_action):
    client.force_login(board_member)
    page = client.get(reverse("api_tokens:list"))
    assert page.status_code == 200
    assert "You have no tokens." in page.content.decode()

    response = create_on_page(client, "Force performance report")
    body = response.content.decode()
    assert response.status_code == 200
    key = TOKEN.search(body).group(1)
    assert "Token “Force performance report” created" in body
    assert "it is shown only once" in body
    token = ApiToken.objects.get(user=board_member)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.key_hash, token.prefix, token.name}
    assert key.startswith(token.prefix)

    again = client.get(reverse("api_tokens:list")).content.decode()
    assert key not in again
    assert "Force performance report" in again
    assert "Never used" in again


def test_the_page_shows_when_a_token_was_last_used(client, board_member, police_action):
    token, key = api_token_create(user=board_member, name="Report")
    used_at = timezone.now().replace(microsecond=0)
    with time_machine.travel(used_at, tick=False):
        assert api(key).get("/api/v1/actions/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == used_at
    client.force_login(board_member)
    body = client.get(reverse("api_tokens:list")).content.decode()
    assert "Never used" not in body
    assert f"{timezone.localtime(used_at):%-d %B %Y}" in body


def test_last_use_is_recorded_at_most_once_a_minute(board_member, police_action):
    token, key = api_token_create(user=board_member, name="Report")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api(key).get("/api/v1/plans/")
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        api(key).get("/api/v1/plans/")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        api(key).get("/api/v1/plans/")
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(minutes=2)


def test_a_revoked_token_stops_working_at_once(client, board_member, police_action):
    token, key = api_token_create(user=board_member, name="Report")
    assert api(key).get("/api/v1/actions/").status_code == 200
    client.force_login(board_member)
    response = client.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk}), follow=True)
    assert "Token “Report” revoked: it no longer works" in response.content.decode()
    refused = api(key).get("/api/v1/actions/")
    assert refused.status_code == 401
    assert "not valid" in refused.json()["detail"]
    body = client.get(reverse("api_tokens:list")).content.decode()
    assert "Revoked tokens" in body


def test_nobody_revokes_someone_elses_token(client, board_member, police_lead):
    token, key = api_token_create(user=police_lead, name="Lead's report")
    client.force_login(board_member)
    assert client.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk})).status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_a_token_of_a_person_who_can_no_longer_sign_in_does_not_work(board_member, police_action):
    _token, key = api_token_create(user=board_member, name="Report")
    board_member.is_active = False
    board_member.save()
    assert api(key).get("/api/v1/actions/").status_code == 401


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name for the token"),
        ("   ", "Enter a name for the token"),
        ("x" * 101, "The name must be 100 characters or fewer"),
        ("Report", "You already have a token with that name"),
    ],
)
def test_a_token_needs_a_new_name(client, board_member, name, message):
    api_token_create(user=board_member, name="Report")
    client.force_login(board_member)
    response = client.post(reverse("api_tokens:list"), {"name": name})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert ApiToken.objects.filter(user=board_member).count() == 1


def test_a_revoked_tokens_name_can_be_used_again_and_there_is_a_limit(board_member):
    token, _key = api_token_create(user=board_member, name="Report")
    token.revoked_at = timezone.now()
    token.save()
    api_token_create(user=board_member, name="Report")
    for n in range(MAX_ACTIVE_TOKENS - 1):
        api_token_create(user=board_member, name=f"Token {n}")
    with pytest.raises(Exception, match="revoke one you no longer use"):
        api_token_create(user=board_member, name="One too many")


@pytest.mark.parametrize(
    "header",
    ["Token", "Token rasso_a b", "Token not-a-token", "Bearer rasso_unknown", "Token rasso_\u00e9t\u00e9"],
)
def test_a_malformed_or_unknown_token_is_a_401_with_a_message(header, police_action):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = client.get("/api/v1/actions/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_everyone_signed_in_finds_the_page_in_the_navigation(client, outsider):
    client.force_login(outsider)
    body = client.get("/").content.decode()
    assert 'href="/api-tokens/"' in body
    assert "API tokens" in body
