"""An admin publishes a plan's progress page and approves a summary; the public reads it without signing in.
axe-core finds nothing on any of the pages."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from actions.models import Status
from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_publishes_the_progress_page_and_the_public_reads_it(
    page, browser, live_server, admin_user, police_action, joint_action
):
    police_action.status, police_action.completed_on = Status.COMPLETED, date(2022, 6, 15)
    police_action.save()
    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{live_server.url}/public/national/")
    expect(anonymous.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(anonymous)

    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/plans/national/")
    page.get_by_role("link", name="Manage the public page").click()
    expect(page.get_by_role("heading", name="Public progress page", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Publish the progress page").check()
    page.get_by_label("Introduction (optional)").fill("Our thanks to Ada Admin.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The introduction names Ada Admin")
    assert_accessible(page)
    page.get_by_label("Introduction (optional)").fill("How the plan is going.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Public progress page published")

    page.get_by_role("link", name="Write the public summary of action 1.1").click()
    assert_accessible(page)
    page.get_by_label("Public summary").fill("Guidance published for every force.")
    page.get_by_role("button", name="Approve for publication").click()
    expect(page.locator('[data-summary-of="1.1"]')).to_contain_text("Guidance published for every force.")

    anonymous.goto(f"{live_server.url}/public/national/")
    expect(anonymous.get_by_role("heading", name="Joint national action plan", level=1)).to_be_visible()
    expect(anonymous.locator('[data-public-action="1.1"]')).to_contain_text("Guidance published for every force.")
    expect(anonymous.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(anonymous)
    # Its own sections, and the accessibility statement and privacy notice every public page links to.
    for link in anonymous.locator("a").all():
        assert (link.get_attribute("href") or "").startswith(("#", "/accessibility/", "/privacy/"))
    anonymous.get_by_role("link", name="Accessibility statement").click()
    expect(anonymous.get_by_role("heading", name="Accessibility statement", level=1)).to_be_visible()
    assert_accessible(anonymous)
    anonymous.go_back()

    page.goto(f"{live_server.url}/reviews/public-pages/national/")
    page.get_by_label("Publish the progress page").uncheck()
    page.get_by_role("button", name="Save").click()
    anonymous.goto(f"{live_server.url}/public/national/")
    expect(anonymous.get_by_role("heading", name="Page not found")).to_be_visible()
