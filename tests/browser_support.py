"""What every browser test does: sign in through the sign-in page, and check a page with axe-core."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PASSWORD = "correct-horse-battery"
CODE_PAGE_HEADING = "Enter the code from your authenticator app"


def sign_in(page, live_server, username: str) -> None:
    """Sign in as a person would, with the code from their authenticator app when the service asks for it, and
    wait until the signed-in page has loaded."""
    from actionplan.models import User
    from tests.otp import next_code

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.get_by_role("heading", name=CODE_PAGE_HEADING).count():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=User.objects.get(username=username), confirmed=True)
        page.get_by_label(CODE_PAGE_HEADING).fill(next_code(device))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name=CODE_PAGE_HEADING)).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out").first).to_be_visible()


def assert_accessible(page) -> None:
    """axe-core (WCAG rules) finds no violation on the page as it stands."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
