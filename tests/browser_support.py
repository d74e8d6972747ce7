"""What every browser test does: sign in through the sign-in page, and check a page with axe-core."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PASSWORD = "correct-horse-battery"


def sign_in(page, live_server, username: str) -> None:
    """Sign in as a person would, and wait until the signed-in page has loaded."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def assert_accessible(page) -> None:
    """axe-core (WCAG rules) finds no violation on the page as it stands."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
