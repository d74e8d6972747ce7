"""Two-factor authentication: admins always, others by choice or by OTP_REQUIRED_FOR_ALL; codes, recovery codes,
enrolment, the lockout counting wrong codes, and an admin resetting someone's second factor."""

from __future__ import annotations

import json
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from actionplan.models import RecoveryCode, User
from actionplan.two_factor import RECOVERY_ALPHABET, recovery_codes_create
from tests.factories import UserFactory
from tests.otp import authenticator_for, code_for_key, next_code, wrong_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
RECOVERY = "/accounts/login/recovery-code/"
SETUP = "/accounts/two-factor/set-up/"
CODES = "/accounts/two-factor/recovery-codes/"


def events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "actionplan.security"]


def sign_in(client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def setup_key(client) -> str:
    """The secret the enrolment page showed, as the person would type it into their app."""
    page = client.get(SETUP)
    text = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    from base64 import b32decode

    return b32decode(text.replace(" ", "")).hex()


# -- Admins must use a second factor --------------------------------------------------------------------------------


def test_an_admin_without_an_app_is_sent_to_set_one_up_before_anything_else(client, national_plan):
    UserFactory(username="new.admin", role=User.Role.ADMIN)
    response = sign_in(client, "new.admin")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    for page in ["/", reverse("reviews:dashboard"), "/admin/", "/admin/actions/action/", reverse("account")]:
        elsewhere = client.get(page)
        assert elsewhere.status_code == 302, page
        assert elsewhere["Location"].startswith(SETUP), page
    body = client.get(SETUP).content.decode()
    assert "You need two-factor authentication to use the service as an admin" in body
    assert 'src="data:image/svg+xml' in body  # the QR code, drawn here
    assert 'class="govuk-service-navigation' not in body  # nothing to navigate to yet


def test_enrolment_with_the_right_code_sets_up_the_app_and_shows_recovery_codes_once(client, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    admin = UserFactory(username="new.admin", role=User.Role.ADMIN)
    sign_in(client, "new.admin", next_url="/admin/")
    key = setup_key(client)
    response = client.post(SETUP, {"code": code_for_key(key), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(CODES)
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed and device.key == key

    page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", page)
    assert len(codes) == 10
    assert "This is the only time you will see these codes" in page
    assert 'href="/admin/"' in page  # then on to where they were going
    again = client.get(CODES).content.decode()
    assert not any(code in again for code in codes)
    assert "You have 10 unused recovery codes" in again
    # Stored as salted hashes only.
    stored = list(RecoveryCode.objects.filter(user=admin).values_list("code_hash", flat=True))
    assert len(stored) == 10 and len(set(stored)) == 10
    assert not any(code.replace("-", "") in value for code in codes for value in stored)

    assert client.get("/admin/").status_code == 200
    assert [e["event"] for e in events(caplog)][-2:] == ["second_factor_enrolled", "sign_in"]


def test_enrolment_with_a_wrong_code_sets_up_nothing(client):
    admin = UserFactory(username="new.admin", role=User.Role.ADMIN)
    sign_in(client, "new.admin")
    setup_key(client)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert not RecoveryCode.objects.filter(user=admin).exists()
    assert client.get("/").status_code == 302


def test_the_secret_being_set_up_stays_the_same_until_it_is_proved(client):
    UserFactory(username="new.admin", role=User.Role.ADMIN)
    sign_in(client, "new.admin")
    assert setup_key(client) == setup_key(client)


def test_an_admin_with_an_app_enters_its_code_after_the_password(client, admin_user, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    response = sign_in(client, "admin", next_url="/admin/")
    assert response.status_code == 302
    assert response["Location"] == CODE + "?next=%2Fadmin%2F"
    assert client.get("/admin/")["Location"].startswith(CODE)
    key_before = client.session.session_key

    response = client.post(CODE, {"code": next_code(authenticator_for(admin_user)), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session.session_key != key_before  # a new session key once verified
    assert client.get("/admin/").status_code == 200
    logged = events(caplog)
    assert [e["event"] for e in logged] == ["sign_in_second_factor_needed", "sign_in"]
    assert logged[-1]["second_factor"] == "code"


def test_a_wrong_code_is_refused_and_logged(client, admin_user, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    sign_in(client, "admin")
    code = wrong_code(authenticator_for(admin_user))
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The code is not right" in body
    assert '<a href="#id_code">' in body  # the error summary links to the field
    assert client.get("/").status_code == 302
    assert events(caplog)[-1] == {
        "event": "second_factor_failed",
        "ip": "127.0.0.1",
        "method": "code",
        "username": "admin",
    }
    attempt = AccessAttempt.objects.get(username="admin")
    assert attempt.failures_since_start == 1
    assert code not in attempt.post_data  # what axes keeps never holds the code


def test_a_code_cannot_be_used_twice(client, admin_user):
    device = authenticator_for(admin_user)
    code = next_code(device)
    sign_in(client, "admin")
    assert client.post(CODE, {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    sign_in(client, "admin")
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()


def test_five_wrong_codes_lock_out_and_end_the_half_made_session(client, admin_user, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    device = authenticator_for(admin_user)
    sign_in(client, "admin")
    for _ in range(4):
        assert client.post(CODE, {"code": wrong_code(device)}).status_code == 200
    locked = client.post(CODE, {"code": wrong_code(device)})
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert not signed_in(client)
    assert "sign_in_locked_out" in [e["event"] for e in events(caplog)]
    # Even the right password and then the right code are refused now.
    assert sign_in(client, "admin").status_code == 429


def test_a_right_password_does_not_wipe_out_wrong_codes(client, admin_user):
    """Otherwise someone with the password could guess codes for ever, four at a time."""
    device = authenticator_for(admin_user)
    for _ in range(2):
        sign_in(client, "admin")
        client.post(CODE, {"code": wrong_code(device)})
        client.post(CODE, {"code": wrong_code(device)})
        client.post("/accounts/logout/")
    sign_in(client, "admin")
    assert client.post(CODE, {"code": wrong_code(device)}).status_code == 429


def test_wrong_passwords_and_wrong_codes_count_together(client, admin_user):
    device = authenticator_for(admin_user)
    for _ in range(3):
        client.post(LOGIN, {"username": "admin", "password": "wrong"})
    sign_in(client, "admin")
    assert client.post(CODE, {"code": wrong_code(device)}).status_code == 200
    assert client.post(CODE, {"code": wrong_code(device)}).status_code == 429


def test_a_completed_sign_in_clears_the_count(client, admin_user):
    device = authenticator_for(admin_user)
    sign_in(client, "admin")
    for _ in range(4):
        client.post(CODE, {"code": wrong_code(device)})
    assert client.post(CODE, {"code": next_code(device)}).status_code == 302
    assert not AccessAttempt.objects.filter(username="admin").exists()


# -- Recovery codes --------------------------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client, admin_user, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    codes = recovery_codes_create(user=admin_user)
    sign_in(client, "admin")
    response = client.post(RECOVERY, {"recovery_code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert "You used a recovery code. You have 9 left" in client.get(reverse("account")).content.decode()
    assert client.get("/admin/").status_code == 200
    assert {"event": "recovery_code_used", "ip": "127.0.0.1", "remaining": 9, "user": "admin"} in events(caplog)

    client.post("/accounts/logout/")
    sign_in(client, "admin")
    again = client.post(RECOVERY, {"recovery_code": codes[0]})
    assert again.status_code == 200
    assert "That recovery code is not right or has been used" in again.content.decode()
    assert AccessAttempt.objects.get(username="admin").failures_since_start == 1


def test_new_recovery_codes_replace_the_old_ones(client, admin_user):
    old = recovery_codes_create(user=admin_user)
    client.force_login(admin_user)
    response = client.post(CODES)
    assert response.status_code == 302
    new = re.findall(r"<code>([a-z2-9-]{14})</code>", client.get(CODES).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/accounts/logout/")
    sign_in(client, "admin")
    assert client.post(RECOVERY, {"recovery_code": old[1]}).status_code == 200
    assert client.post(RECOVERY, {"recovery_code": new[1]}).status_code == 302


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Enter one of your recovery codes"),
        ("x" * 65, "The code is too long"),
        ("<script>alert(1)</script>", "Enter the recovery code as shown"),
        ("abcd\x00efgh-jkmn", "Enter the code without control characters"),
        ("abcd\u202eefgh-jkmn", "Enter the recovery code as shown"),
        ("0000-1111-iiii", "Enter the recovery code as shown"),
    ],
)
def test_malformed_recovery_codes_get_a_message_and_count_for_nothing(client, admin_user, value, message):
    recovery_codes_create(user=admin_user)
    sign_in(client, "admin")
    response = client.post(RECOVERY, {"recovery_code": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert not AccessAttempt.objects.exists()
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 0


def test_recovery_codes_use_an_alphabet_without_lookalikes():
    assert not set("01ilo") & set(RECOVERY_ALPHABET)


# -- Bad input on the code pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "Enter the code as 6 digits"),
        ("1234567", "Enter the code as 6 digits"),
        ("x" * 100_000, "The code is too long"),
        ('"><b>123456</b>', "Enter the code as 6 digits"),
        ("12\x0034", "Enter the code without control characters"),
        ("١٢٣٤٥٦", "Enter the code as 6 digits"),  # digits, but not ASCII ones
        ("123\u202e456", "Enter the code as 6 digits"),
    ],
)
@pytest.mark.parametrize("page", [CODE, SETUP])
def test_malformed_codes_get_a_message_and_count_for_nothing(client, admin_user, value, message, page):
    if page == SETUP:
        TOTPDevice.objects.filter(user=admin_user).delete()
    sign_in(client, "admin")
    response = client.post(page, {"code": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<b>123456</b>" not in body
    assert not AccessAttempt.objects.exists()
    assert TOTPDevice.objects.filter(user=admin_user).count() == (1 if page == CODE else 0)


def test_a_code_with_spaces_is_read_as_typed(client, admin_user):
    code = next_code(authenticator_for(admin_user))
    sign_in(client, "admin")
    assert client.post(CODE, {"code": f" {code[:3]} {code[3:]} "}).status_code == 302


def test_a_forged_next_address_is_not_followed(client, admin_user):
    sign_in(client, "admin")
    response = client.post(CODE, {"code": next_code(authenticator_for(admin_user)), "next": "https://evil.example/"})
    assert response["Location"] == reverse("landing")


def test_the_code_page_without_a_sign_in_sends_to_sign_in(client):
    response = client.get(CODE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.post(CODE, {"code": "123456"})["Location"].startswith(LOGIN)


def test_a_verified_person_on_the_code_page_goes_on(client, admin_user):
    client.force_login(admin_user)
    assert client.get(CODE + "?next=/admin/")["Location"] == "/admin/"


# -- Everyone else: optional, or required by the setting ---------------------------------------------------------------


def test_a_lead_signs_in_with_a_password_alone(client, police_lead):
    response = sign_in(client, "police.lead")
    assert response["Location"] == reverse("landing")
    assert client.get(reverse("account")).status_code == 200


def test_a_lead_who_set_up_an_app_is_asked_for_its_code(client, police_lead):
    client.force_login(police_lead)
    key = setup_key(client)
    assert client.post(SETUP, {"code": code_for_key(key)}).status_code == 302
    client.post("/accounts/logout/")
    response = sign_in(client, "police.lead")
    assert response["Location"].startswith(CODE)
    assert client.get(reverse("actions:mine"))["Location"].startswith(CODE)
    client.post(CODE, {"code": next_code(authenticator_for(police_lead))})
    assert client.get(reverse("actions:mine")).status_code == 200


def test_a_lead_may_turn_their_app_off(client, police_lead, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    authenticator_for(police_lead)
    recovery_codes_create(user=police_lead)
    client.force_login(police_lead)
    response = client.post("/accounts/two-factor/turn-off/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=police_lead).exists()
    assert not RecoveryCode.objects.filter(user=police_lead).exists()
    assert "second_factor_turned_off" in [e["event"] for e in events(caplog)]
    client.post("/accounts/logout/")
    assert sign_in(client, "police.lead")["Location"] == reverse("landing")


def test_an_admin_cannot_turn_their_app_off(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/accounts/two-factor/turn-off/").content.decode()
    assert "You cannot turn off two-factor authentication" in page
    assert client.post("/accounts/two-factor/turn-off/").status_code == 403
    assert TOTPDevice.objects.filter(user=admin_user).exists()


def test_replacing_an_app_needs_the_session_verified_by_it(client, police_lead):
    authenticator_for(police_lead)
    client.force_login(police_lead, second_factor=False)
    response = client.get(SETUP)
    assert response["Location"].startswith(CODE)


def test_with_the_setting_everyone_must_set_up_an_app(client, police_lead, settings):
    settings.OTP_REQUIRED_FOR_ALL = True
    response = sign_in(client, "police.lead")
    assert response["Location"].startswith(SETUP)
    assert client.get(reverse("actions:mine"))["Location"].startswith(SETUP)
    assert "Everyone must" not in client.get(SETUP).content.decode()  # the page speaks of admins only to admins


def test_sign_out_works_before_the_code(client, admin_user):
    sign_in(client, "admin")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not signed_in(client)


# -- The admin site ------------------------------------------------------------------------------------------------


def test_every_admin_page_needs_a_verified_session(client, admin_user):
    client.force_login(admin_user, second_factor=False)
    for url in ["/admin/", "/admin/actions/action/", "/admin/actionplan/user/", "/admin/password_change/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(CODE), url


def test_the_admin_site_itself_refuses_an_unverified_admin(rf, admin_user):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = admin_user
    admin_user.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    admin_user.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_nobody_can_read_an_authenticator_secret_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert (
        authenticator_for(admin_user).key
        not in client.get(f"/admin/actionplan/user/{admin_user.pk}/change/").content.decode()
    )


def test_an_admin_resets_someones_second_factor_and_it_is_logged(client, admin_user, police_lead, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    authenticator_for(police_lead)
    recovery_codes_create(user=police_lead)
    client.force_login(admin_user)
    change = client.get(f"/admin/actionplan/user/{police_lead.pk}/change/").content.decode()
    assert "Set up on" in change
    response = client.post(
        "/admin/actionplan/user/", {"action": "reset_two_factor", "_selected_action": [police_lead.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Two-factor authentication reset for 1 person" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=police_lead).exists()
    assert not RecoveryCode.objects.filter(user=police_lead).exists()
    assert {
        "by": "admin",
        "devices": 1,
        "event": "second_factor_reset",
        "ip": "127.0.0.1",
        "user": "police.lead",
    } in events(caplog)


def test_a_reset_admin_is_asked_to_set_up_again_at_once(client, admin_user):
    from actionplan.two_factor import two_factor_reset

    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    two_factor_reset(user=admin_user, by=admin_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize("forged", ["999999", "abc", "1 OR 1=1", "\x00", ""])
def test_forged_ids_in_the_reset_action_reset_nobody_and_never_fail(client, admin_user, police_lead, forged):
    authenticator_for(police_lead)
    client.force_login(admin_user)
    response = client.post("/admin/actionplan/user/", {"action": "reset_two_factor", "_selected_action": [forged]})
    assert response.status_code in (200, 302)
    assert TOTPDevice.objects.filter(user=police_lead).exists()


def test_the_admin_sign_in_is_the_service_sign_in(client, admin_user):
    response = client.get("/admin/login/?next=/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    assert "Sign in to read and update the RASSO joint action plan" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert response["Location"] == CODE + "?next=%2Fadmin%2F"


def test_someone_signed_in_who_is_not_an_admin_is_refused_the_admin_sign_in(client, police_lead):
    client.force_login(police_lead)
    assert client.get("/admin/login/").status_code == 403


def test_an_admin_owing_the_code_on_the_admin_sign_in_is_sent_to_the_code_page(client, admin_user):
    client.force_login(admin_user, second_factor=False)
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == CODE + "?next=%2Fadmin%2F"
