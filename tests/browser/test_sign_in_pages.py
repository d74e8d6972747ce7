"""Signing in, in a real browser: enrolment, codes, recovery codes, passwords, the timeout warning and the back
button after sign-out; axe-core over every page of it, and each form with its errors."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from actionplan.models import User
from actionplan.signin import LAST_SEEN
from actionplan.two_factor import recovery_codes_create
from tests.browser_support import PASSWORD, assert_accessible, sign_in
from tests.factories import UserFactory
from tests.otp import authenticator_for, code_for_key, next_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_LABEL = "Enter the code from your authenticator app"


def heading(page, name: str):
    return expect(page.get_by_role("heading", name=name, level=1))


def submit_password(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_the_sign_in_page_and_its_errors_pass_axe(page, live_server, police_lead):
    page.goto(f"{live_server.url}/accounts/login/")
    heading(page, "Sign in").to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Enter your username")).to_be_visible()
    assert_accessible(page)
    submit_password(page, live_server, "a" * 151)
    expect(page.get_by_role("link", name="Username must be 150 characters or fewer")).to_be_visible()
    assert_accessible(page)


def test_a_new_admin_sets_up_an_app_and_then_signs_in_with_its_codes(page, live_server, national_plan):
    UserFactory(username="new.admin", first_name="Nia", last_name="New", role=User.Role.ADMIN)
    submit_password(page, live_server, "new.admin")
    heading(page, "Set up your authenticator app").to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to add the RASSO joint action plan to your authenticator app")
    ).to_be_visible()
    assert_accessible(page)

    # A wrong code first: the error, linked from the summary.
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Enter the code as 6 digits, like 123456")).to_be_visible()
    assert_accessible(page)

    page.get_by_text("I cannot scan the QR code").click()
    key = b32decode(page.locator("#setup-key").inner_text().replace(" ", "")).hex()
    page.get_by_label("Code from your authenticator app").fill(code_for_key(key))
    page.get_by_role("button", name="Continue").click()
    heading(page, "Save your recovery codes").to_be_visible()
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    heading(page, "Dashboard").to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    submit_password(page, live_server, "new.admin")
    heading(page, CODE_LABEL).to_be_visible()
    assert_accessible(page)
    page.get_by_label(CODE_LABEL).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("link", name="The code is not right. Enter the code your authenticator app shows now")
    ).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user__username="new.admin")
    page.get_by_label(CODE_LABEL).fill(next_code(device))
    page.get_by_role("button", name="Continue").click()
    heading(page, "Dashboard").to_be_visible()


def test_a_recovery_code_page_and_its_errors_pass_axe(page, live_server, admin_user, national_plan):
    codes = recovery_codes_create(user=admin_user)
    submit_password(page, live_server, "admin")
    page.get_by_role("link", name="I cannot use my authenticator app").click()
    heading(page, "Enter a recovery code").to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Enter one of your recovery codes")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Enter a recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You used a recovery code. You have 9 left")).to_be_visible()
    assert_accessible(page)


def test_account_and_two_factor_pages_pass_axe(page, live_server, police_lead, national_plan):
    sign_in(page, live_server, "police.lead")
    page.get_by_role("link", name="Your account").click()
    heading(page, "Your account").to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-factor authentication").click()
    heading(page, "Two-factor authentication").to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Set up two-factor authentication").click()
    heading(page, "Set up your authenticator app").to_be_visible()
    assert_accessible(page)

    authenticator_for(police_lead)
    recovery_codes_create(user=police_lead)
    # Setting up elsewhere needs this session verified first.
    page.goto(f"{live_server.url}/accounts/two-factor/")
    expect(page.get_by_text("10 unused")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Make new recovery codes").click()
    heading(page, "Recovery codes").to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Make new recovery codes").click()
    heading(page, CODE_LABEL).to_be_visible()
    page.get_by_label(CODE_LABEL).fill(next_code(authenticator_for(police_lead)))
    page.get_by_role("button", name="Continue").click()
    heading(page, "Recovery codes").to_be_visible()
    page.get_by_role("button", name="Make new recovery codes").click()
    heading(page, "Save your recovery codes").to_be_visible()
    page.goto(f"{live_server.url}/accounts/two-factor/turn-off/")
    heading(page, "Turn off two-factor authentication").to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Turn off two-factor authentication").click()
    expect(page.get_by_text("Two-factor authentication is turned off")).to_be_visible()
    assert_accessible(page)


def test_changing_a_password_and_its_errors_pass_axe(page, live_server, police_lead, national_plan):
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/accounts/password/change/")
    heading(page, "Change your password").to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("link", name="Enter your current password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("aaaaaaaaaaaa")
    page.get_by_label("Confirm new password").fill("aaaaaaaaaaaa")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("link", name=re.compile("repeats too few characters"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("Confirm new password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()


def test_resetting_a_password_and_its_errors_pass_axe(page, live_server, police_lead, monkeypatch):
    from actionplan.tasks import password_reset_send

    monkeypatch.setattr(password_reset_send, "delay", lambda **kwargs: None)  # no worker here
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    heading(page, "Reset your password").to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("link", name=re.compile("Enter an email address in the correct format"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("nobody@police.example")
    page.get_by_role("button", name="Send the link").click()
    heading(page, "Check your email").to_be_visible()
    assert_accessible(page)

    uid = urlsafe_base64_encode(force_bytes(police_lead.pk))
    token = default_token_generator.make_token(police_lead)
    page.goto(f"{live_server.url}/accounts/password/reset/{uid}/{token}/")
    heading(page, "Choose a new password").to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("shorter")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("link", name=re.compile("do not match"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("Confirm new password").fill("a brand new passphrase")
    page.get_by_role("button", name="Save password").click()
    heading(page, "Your password has been reset").to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/password/reset/{uid}/{token}/")
    heading(page, "This link does not work").to_be_visible()
    assert_accessible(page)


def test_a_failed_single_sign_on_page_passes_axe(page, live_server, settings):
    from tests.oidc_provider import FakeProvider

    provider = FakeProvider()
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="Sign in with Police single sign-on")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/sso/callback/?code=x&state=y")
    heading(page, "You could not be signed in").to_be_visible()
    assert_accessible(page)


def _session_of(page):
    """The browser's session as the server keeps it (whatever SESSION_ENGINE: with Redis, a cached one)."""
    from importlib import import_module

    from django.conf import settings

    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def _leave_seconds(page, seconds: int) -> None:
    """Make the browser's session one that ends in `seconds`, as if the person had been away."""
    session = _session_of(page)
    session[LAST_SEEN] = int(time.time()) - 30 * 60 + seconds
    session.save()


def _open_the_warning(page, live_server) -> None:
    """Load a page, then move the server's session and the browser's clock 28 minutes on, as if the person had
    been away: the warning's script asks the server how long is left and opens the dialog."""
    page.clock.install()
    page.goto(f"{live_server.url}/actions/mine/")
    heading(page, "My actions").to_be_visible()
    _leave_seconds(page, 125)
    page.clock.fast_forward("28:00")


def test_the_timeout_warning_opens_before_the_end_and_staying_signed_in_carries_on(
    page, live_server, police_lead, national_plan
):
    sign_in(page, live_server, "police.lead")
    _open_the_warning(page, live_server)
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text(re.compile(r"we will sign you out in (2 minutes|\d+ seconds)"))).to_be_visible()
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    assert int(time.time()) - _session_of(page)[LAST_SEEN] < 10  # the server counted it as activity
    heading(page, "My actions").to_be_visible()


def test_escape_on_the_warning_also_stays_signed_in(page, live_server, police_lead, national_plan):
    sign_in(page, live_server, "police.lead")
    _open_the_warning(page, live_server)
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert int(time.time()) - _session_of(page)[LAST_SEEN] < 10


def test_when_time_runs_out_the_browser_shows_the_signed_out_page(page, live_server, police_lead, national_plan):
    sign_in(page, live_server, "police.lead")
    _open_the_warning(page, live_server)
    expect(page.get_by_role("dialog", name="You’re about to be signed out")).to_be_visible()
    _leave_seconds(page, -1)  # meanwhile the session has ended on the server
    page.clock.fast_forward("02:10")
    heading(page, "You have been signed out").to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in again").click()
    heading(page, "Sign in").to_be_visible()
    expect(page).to_have_url(re.compile(r"next=%2Factions%2Fmine%2F"))


def test_without_javascript_an_idle_session_simply_ends(browser, live_server, police_lead, national_plan):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "police.lead")
    _leave_seconds(page, -1)
    page.goto(f"{live_server.url}/actions/mine/")
    heading(page, "Sign in").to_be_visible()
    expect(page.get_by_text("You were signed out because you did nothing for 30 minutes")).to_be_visible()
    context.close()


def test_the_signed_out_message_on_the_sign_in_page_passes_axe(page, live_server, police_lead, national_plan):
    sign_in(page, live_server, "police.lead")
    _leave_seconds(page, -1)
    page.goto(f"{live_server.url}/actions/mine/")
    expect(page.get_by_text("You were signed out because you did nothing for 30 minutes")).to_be_visible()
    assert_accessible(page)


def test_the_back_button_after_signing_out_shows_no_plan_data(page, live_server, police_lead, police_action):
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/")
    heading(page, "Police-only action").to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    heading(page, "Sign in").to_be_visible()
    page.go_back()
    heading(page, "Sign in").to_be_visible()
    expect(page.get_by_text("Police-only action")).to_have_count(0)
