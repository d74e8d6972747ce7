"""An admin records an inspection's recommendations and links them to actions in a real browser; axe-core finds
nothing on any of the pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.models import Recommendation
from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_records_pastes_and_links_recommendations(page, live_server, admin_user, police_action, joint_action):
    sign_in(page, live_server, "admin")
    page.get_by_role("link", name="Recommendations").click()
    expect(page.get_by_role("heading", name="Inspection recommendations", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record a source").click()
    page.get_by_role("button", name="Save source").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the title")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill(
        "Joint thematic inspection of the police and CPS response to rape, phase 1"
    )
    page.get_by_label("Short title (optional)").fill("Phase 1")
    page.get_by_role("button", name="Save source").click()
    expect(page.get_by_role("heading", name="Joint thematic inspection", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Paste a numbered list").click()
    assert_accessible(page)
    page.get_by_label("Recommendations").fill(
        "1. Chief constables should refer every victim to an ISVA.\n"
        "This line has no number\n"
        "2) The CPS should explain decisions."
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Line 2 does not start with a number")
    assert_accessible(page)
    page.get_by_label("Recommendations").fill(
        "1. Chief constables should refer every victim to an ISVA.\n2) The CPS should explain decisions."
    )
    page.get_by_role("button", name="Preview again").click()
    expect(page.locator("#preview")).to_contain_text("Preview: 2 recommendations")
    assert_accessible(page)
    page.get_by_role("button", name="Save these recommendations").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2 recommendations saved")
    assert Recommendation.objects.count() == 2

    page.get_by_role("button", name="Add a recommendation").click()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Chief constables should refer every victim to an ISVA.").click()
    expect(page.locator('[data-state="not_planned"]')).to_have_text("Not yet planned")
    assert_accessible(page)
    page.get_by_label("Action that answers it").select_option(label="1.1 Police-only action")
    page.get_by_role("button", name="Link the action").click()
    expect(page.locator('[data-state="in_progress"]')).to_have_text("In progress (0 of 1 completed)")
    assert_accessible(page)

    # From the other side: the action's page, then its recommendations page.
    page.get_by_role("link", name="1.1 Police-only action").click()
    expect(page.locator("[data-answers]")).to_contain_text("Phase 1, recommendation 1")
    assert_accessible(page)
    page.goto(f"{live_server.url}{joint_action.get_absolute_url()}")
    page.get_by_role("link", name="Link a recommendation to this action").click()
    assert_accessible(page)
    page.get_by_label("Recommendation this action answers").select_option(index=2)
    page.get_by_role("button", name="Link the recommendation").click()
    expect(page.locator("[data-answers]")).to_contain_text("Phase 1, recommendation 2")

    page.goto(f"{live_server.url}/reviews/recommendations/?state=in_progress")
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_accessible(page)

    # The dashboard and the board pack show them by source and state.
    page.goto(f"{live_server.url}/reviews/dashboard/")
    expect(page.locator('[data-figure="recommendations-all-in_progress"]')).to_have_text("2")
    assert_accessible(page)
    page.goto(f"{live_server.url}/reviews/board-pack/")
    expect(page.locator("[data-open-recommendation]")).to_have_count(2)
    assert_accessible(page)
