"""What no person would type on the sign-in page gets a message, is not counted or stored, and never a server error.
On PostgreSQL a 256-character username used to fail recording the attempt. The admin's sign-in address takes no
password at all: it sends people to the service's sign-in page."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from actionplan.models import SignInRecord

pytestmark = pytest.mark.django_db

PAGES = ["/accounts/login/"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "username, message",
    [
        ("a" * 151, "Username must be 150 characters or fewer"),
        ("a" * 256, "Username must be 150 characters or fewer"),
        ("a" * 100_000, "Username must be 150 characters or fewer"),
        ("police.lead\x00", "Enter a username without control characters"),
        ("police\x1b[31m.lead", "Enter a username with only letters, numbers and the characters @ . + - _"),
        ("police\u202e.lead", "Enter a username with only letters, numbers and the characters @ . + - _"),
        ("<script>alert(1)</script>", "Enter a username with only letters, numbers and the characters @ . + - _"),
        ("' OR '1'='1", "Enter a username with only letters, numbers and the characters @ . + - _"),
    ],
)
def test_an_impossible_username_gets_a_message_and_nothing_is_recorded(client, police_lead, page, username, message):
    client.raise_request_exception = True
    response = client.post(page, {"username": username, "password": "whatever-it-is"})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert not AccessAttempt.objects.exists()
    assert not SignInRecord.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("page", PAGES)
def test_a_150_character_username_is_checked_and_counted(client, page):
    response = client.post(page, {"username": "a" * 150, "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert AccessAttempt.objects.get().username == "a" * 150


@pytest.mark.parametrize("username", ["a" * 256, "police.lead", "' OR '1'='1"])
def test_the_admin_sign_in_address_checks_nothing_and_sends_to_the_service_sign_in(client, police_lead, username):
    client.raise_request_exception = True
    response = client.post("/admin/login/", {"username": username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert not AccessAttempt.objects.exists()
    assert not SignInRecord.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "password, message",
    [
        ("x" * 1025, "Password must be 1,024 characters or fewer"),
        ("x" * 100_000, "Password must be 1,024 characters or fewer"),
        ("pass\x00word", "Enter a password without null characters"),
    ],
)
def test_an_impossible_password_gets_a_message(client, police_lead, password, message):
    response = client.post("/accounts/login/", {"username": "police.lead", "password": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_empty_fields_are_named(client):
    body = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in body
    assert '<a href="#id_password">Enter your password</a>' in body


def test_repeated_fields_do_not_confuse_the_form(client, police_lead):
    response = client.post(
        "/accounts/login/", {"username": ["police.lead", "admin"], "password": ["correct-horse-battery", "x"]}
    )
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "/accounts/login/",
        "/\x00",
        "/reviews/\r\nSet-Cookie: x=1",
        "/" + "a" * 5000,
    ],
)
def test_a_hostile_next_address_lands_on_the_persons_page(client, police_lead, next_url):
    response = client.post(
        "/accounts/login/", {"username": "police.lead", "password": "correct-horse-battery", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("landing")


def test_a_signed_in_person_on_the_sign_in_page_with_next_pointing_at_it_is_not_looped(client, police_lead):
    client.force_login(police_lead)
    response = client.get("/accounts/login/?next=/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == reverse("landing")
