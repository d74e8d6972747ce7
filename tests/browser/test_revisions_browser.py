"""An admin takes a revision from draft to published in a real browser; every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actions.models import Status
from reviews.models import Revision
from tests.browser_support import assert_accessible, sign_in
from tests.reviews.test_revisions import plan_actions  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_takes_a_revision_from_draft_to_published(
    page,
    live_server,
    admin_user,
    plan_actions,  # noqa: F811
    national_plan,
    police_lead,
):
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/plans/national/")
    page.get_by_role("link", name="Start a revision of this plan").click()
    expect(page.get_by_role("heading", name="Start a revision", level=1)).to_be_visible()
    assert_accessible(page)

    # Mistakes first: each is listed and linked.
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2022")
    page.get_by_role("button", name="Start the draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="The effective date must be a real date")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the name of the revision")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name of the revision").fill("2022 refresh")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Rationale").fill("The joint inspection reported.")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Draft revision “2022 refresh” started")
    expect(page.get_by_role("heading", name="2022 refresh", level=1)).to_be_visible()
    assert_accessible(page)

    # Add a new action, then supersede 2.3 by it.
    page.get_by_role("button", name="Add a new action").click()
    assert_accessible(page)
    page.get_by_label("Theme").select_option(label="2. Casework quality")
    page.get_by_label("Title").fill("Adopt the national operating model")
    page.get_by_role("radio", name="Joint").check()
    page.get_by_label("Police lead").select_option(value=str(police_lead.pk))
    page.locator("#id_start_date_0").fill("1")
    page.locator("#id_start_date_1").fill("5")
    page.locator("#id_start_date_2").fill("2022")
    page.locator("#id_target_date_0").fill("31")
    page.locator("#id_target_date_1").fill("3")
    page.locator("#id_target_date_2").fill("2023")
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("[data-added]")).to_contain_text("2.6")

    page.get_by_role("link", name="Decide the fate of action 2.3").click()
    expect(page.get_by_role("heading", name=re.compile("Action 2.3"), level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Superseded by another action").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Superseded by another action", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason the action is superseded")
    assert_accessible(page)
    page.get_by_label("Action that supersedes it").select_option(
        label="New action 2.6: Adopt the national operating model"
    )
    page.get_by_label("Reason").fill("The operating model replaces the meetings.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator('[data-decision="2.3"]')).to_contain_text("Superseded by another action")

    # Change 1.1's wording.
    page.get_by_role("link", name="Decide the fate of action 1.1").click()
    page.get_by_role("radio", name="Changed", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Police-only action, refreshed")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator('[data-decision="1.1"]')).to_contain_text("Changed")

    page.get_by_role("button", name="Check and publish").click()
    expect(page.get_by_role("heading", name="Publish revision 2022 refresh")).to_be_visible()
    expect(page.locator("#report-superseded")).to_contain_text("Superseded by new action 2.6")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the revision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Revision “2022 refresh” published")
    changed = page.locator("#report-changed")
    expect(changed.locator('[data-side="before"]').first).to_have_text("Police-only action")
    expect(changed.locator('[data-side="after"]').first).to_have_text("Police-only action, refreshed")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("The plan before this revision")).click()
    expect(page.locator('[data-reference="1.1"] [data-wording="title"]')).to_have_text("Police-only action")
    assert_accessible(page)
    page.get_by_role("link", name="After 2022 refresh").click()
    expect(page.locator('[data-reference="1.1"] [data-wording="title"]')).to_have_text("Police-only action, refreshed")
    assert_accessible(page)

    revision = Revision.objects.get()
    assert revision.status == Revision.Status.PUBLISHED
    assert national_plan.actions.get(reference="2.3").status == Status.CLOSED
    page.goto(f"{live_server.url}/reviews/revisions/")
    expect(page.get_by_role("heading", name="Plan revisions", level=1)).to_be_visible()
    assert_accessible(page)
