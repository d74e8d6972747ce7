"""The password policy everywhere a password is set, changing one's own password, and resetting it by email
without telling anyone whether an address has an account."""

from __future__ import annotations

import json
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from actionplan.models import User
from actionplan.tasks import password_reset_send
from tests.factories import UserFactory
from tests.otp import authenticator_for, next_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a brand new passphrase"
CHANGE = "/accounts/password/change/"
RESET = "/accounts/password/reset/"


def events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "actionplan.security"]


# -- The policy ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, message",
    [
        ("aaaaaaaaaaaa", "repeats too few characters"),
        ("abababababab", "repeats too few characters"),
        ("abcdabcdabcd", "repeats too few characters"),
        ("short-pass1", "too short"),
        ("123456789012", "entirely numeric"),
        ("password1234", "too common"),
        ("x" * 1020 + "abcde", "too long"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert message in " ".join(error.value.messages)


@pytest.mark.parametrize("password", ["abcdeabcdeab", "correct-horse-battery", "Tr0ub4dor&3x"])
def test_varied_passwords_of_twelve_characters_are_accepted(password):
    validate_password(password)


def test_the_admins_add_user_form_applies_the_policy(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/actionplan/user/add/",
        {"username": "weak.person", "password1": "aaaaaaaaaaaa", "password2": "aaaaaaaaaaaa", "role": "lead"},
    )
    assert response.status_code == 200
    assert "This password repeats too few characters" in response.content.decode()
    assert not User.objects.filter(username="weak.person").exists()


def test_the_admins_change_password_form_applies_the_policy(client, admin_user, police_lead):
    client.force_login(admin_user)
    url = f"/admin/actionplan/user/{police_lead.pk}/password/"
    response = client.post(url, {"password1": "aaaaaaaaaaaa", "password2": "aaaaaaaaaaaa"})
    assert response.status_code == 200
    assert "This password repeats too few characters" in response.content.decode()
    police_lead.refresh_from_db()
    assert police_lead.check_password(PASSWORD)
    assert client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302
    police_lead.refresh_from_db()
    assert police_lead.check_password(NEW_PASSWORD)


# -- Changing one's own password --------------------------------------------------------------------------------------


def test_a_lead_changes_their_password_and_other_sessions_end(client, police_lead, caplog):
    from tests.conftest import Client

    caplog.set_level(logging.INFO, logger="actionplan.security")
    elsewhere = Client()
    elsewhere.force_login(police_lead)
    client.force_login(police_lead)
    page = client.get(CHANGE).content.decode()
    assert "Change your password" in page
    assert "Your password must use at least 5 different characters." in page
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    police_lead.refresh_from_db()
    assert police_lead.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200  # this session carries on
    assert elsewhere.get("/").status_code == 302  # every other one has ended
    assert {"event": "password_changed", "ip": "127.0.0.1", "user": "police.lead"} in events(caplog)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"old_password": "", "new_password1": "", "new_password2": ""}, "Enter your current password"),
        ({"old_password": PASSWORD, "new_password1": "", "new_password2": ""}, "Enter a new password"),
        (
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
            "The two new passwords do not match",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "aaaaaaaaaaaa", "new_password2": "aaaaaaaaaaaa"},
            "This password repeats too few characters",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "x" * 100_000, "new_password2": "x" * 100_000},
            "Password must be 1,024 characters or fewer",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "new\x00password!", "new_password2": "new\x00password!"},
            "Enter a password without null characters",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "<b>bold</b>xyz", "new_password2": "<b>bold</b>xyz"},
            None,
        ),
    ],
)
def test_bad_input_on_the_change_page_gets_a_message_and_changes_nothing(client, police_lead, data, message):
    client.force_login(police_lead)
    response = client.post(CHANGE, data)
    if message is None:  # markup is allowed in a password: it is only ever hashed
        assert response.status_code == 302
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'class="govuk-error-summary"' in body
    police_lead.refresh_from_db()
    assert police_lead.check_password(PASSWORD)


def test_a_wrong_current_password_counts_towards_the_lockout(client, police_lead, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    client.force_login(police_lead)
    wrong = {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(4):
        response = client.post(CHANGE, wrong)
        assert response.status_code == 200
        assert "Your current password is not correct" in response.content.decode()
    assert AccessAttempt.objects.get(username="police.lead").failures_since_start == 4
    locked = client.post(CHANGE, wrong)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "password_change_failed" in [e["event"] for e in events(caplog)]


# -- Resetting by email ------------------------------------------------------------------------------------------------


@pytest.fixture
def reset_emails_sent(monkeypatch, django_capture_on_commit_callbacks):
    """Run the queued reset task here, as a worker would."""
    monkeypatch.setattr(password_reset_send, "delay", lambda **kwargs: password_reset_send.apply(kwargs=kwargs))


def ask_for_reset(client, email: str, capture):
    with capture(execute=True):
        return client.post(RESET, {"email": email})


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(
    client, police_lead, reset_emails_sent, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    police_lead.email = "paula@police.example"
    police_lead.save()
    known = ask_for_reset(client, "Paula@Police.example", django_capture_on_commit_callbacks)
    unknown = ask_for_reset(client, "nobody@police.example", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    page = client.get(known["Location"]).content.decode()
    assert "If the address you entered belongs to an account, we have sent it a link" in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["paula@police.example"]
    assert [e["event"] for e in events(caplog)] == ["password_reset_sent", "password_reset_unknown_email"]


def test_the_page_does_the_same_work_for_any_address(client, police_lead, monkeypatch):
    """The lookup and the email happen in a worker; the page only queues the address, known or not."""
    queued = []
    monkeypatch.setattr(password_reset_send, "delay", lambda **kwargs: queued.append(kwargs))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    police_lead.email = "paula@police.example"
    police_lead.save()
    counts = []
    for email in ["paula@police.example", "nobody@police.example"]:
        with CaptureQueriesContext(connection) as queries:
            client.post(RESET, {"email": email})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_reset_link_sets_a_new_password_once(
    client, police_lead, reset_emails_sent, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    police_lead.email = "paula@police.example"
    police_lead.save()
    ask_for_reset(client, "paula@police.example", django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.subject == "Reset your password: RASSO joint action plan"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    assert link in message.alternatives[0][0]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "aaaaaaaaaaaa", "new_password2": "aaaaaaaaaaaa"})
    assert "This password repeats too few characters" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Your password has been reset" in done.content.decode()
    police_lead.refresh_from_db()
    assert police_lead.check_password(NEW_PASSWORD)
    assert "password_reset_completed" in [e["event"] for e in events(caplog)]
    again = client.get(link, follow=True).content.decode()
    assert "This link does not work" in again


def test_a_reset_password_still_needs_the_second_factor(client, admin_user):
    uid = urlsafe_base64_encode(force_bytes(admin_user.pk))
    token = default_token_generator.make_token(admin_user)
    page = client.get(f"/accounts/password/reset/{uid}/{token}/", follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post("/accounts/login/", {"username": "admin", "password": NEW_PASSWORD})
    assert response["Location"].startswith("/accounts/login/code/")
    client.post("/accounts/login/code/", {"code": next_code(authenticator_for(admin_user))})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "uid, token",
    [
        ("x", "x"),
        ("MTIzNDU2Nzg5", "abc-def"),  # an id that does not exist
        ("\u202e", "set-password"),
        ("A" * 500, "B" * 500),
        ("Jyc", "' OR '1'='1"),
    ],
)
def test_a_forged_reset_link_says_it_does_not_work(client, police_lead, uid, token):
    response = client.get(f"/accounts/password/reset/{uid}/{token}/", follow=True)
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


@pytest.mark.parametrize(
    "email, message",
    [
        ("", "Enter your email address"),
        ("not an address", "Enter an email address in the correct format"),
        ("a" * 250 + "@example.org", "Email address must be 254 characters or fewer"),
        ("x" * 100_000, "Email address must be 254 characters or fewer"),
        ("paula@police.example\x00", "Enter an email address in the correct format"),
        ("paula\u202e@police.example", "Enter an email address in the correct format"),
        ("<script>@x.org", "Enter an email address in the correct format"),
    ],
)
def test_bad_input_on_the_reset_page_gets_a_message_and_sends_nothing(client, monkeypatch, email, message):
    queued = []
    monkeypatch.setattr(password_reset_send, "delay", lambda **kwargs: queued.append(kwargs))
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>" not in body.split("<main")[1]
    assert queued == []


def test_no_more_than_three_reset_emails_an_hour_to_one_address(
    client, police_lead, reset_emails_sent, django_capture_on_commit_callbacks
):
    police_lead.email = "paula@police.example"
    police_lead.save()
    for _ in range(5):
        assert ask_for_reset(client, "paula@police.example", django_capture_on_commit_callbacks).status_code == 302
    assert len(mail.outbox) == 3


def test_inactive_people_and_people_without_a_password_get_no_email(
    client, reset_emails_sent, django_capture_on_commit_callbacks
):
    UserFactory(username="gone", email="gone@police.example", is_active=False)
    unusable = UserFactory(username="sso.only", email="sso@police.example")
    unusable.set_unusable_password()
    unusable.save()
    ask_for_reset(client, "gone@police.example", django_capture_on_commit_callbacks)
    ask_for_reset(client, "sso@police.example", django_capture_on_commit_callbacks)
    assert mail.outbox == []
