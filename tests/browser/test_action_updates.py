"""Leads update their actions in a real browser; board members and other sides cannot; axe-core finds nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actions.models import StatusUpdate
from actions.services import action_update_status
from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_police_lead_updates_an_action_from_my_actions(page, live_server, police_lead, police_action, joint_action):
    sign_in(page, live_server, "police.lead")

    # Leads land on My actions.
    expect(page.get_by_role("heading", name="My actions", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/actions/mine/$"))
    expect(page.get_by_role("link", name="Police-only action")).to_be_visible()
    expect(page.get_by_role("link", name="Joint action", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Police-only action").click()
    expect(page.get_by_role("heading", name="Police-only action", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Update status").click()
    expect(page.get_by_role("heading", name="Update status", level=1)).to_be_visible()
    assert_accessible(page)

    # Worse confidence, no narrative and a javascript: link: every mistake is listed at once, the summary has
    # the focus, and each entry links to its question.
    page.get_by_role("radio", name="Red").check()
    page.get_by_label("Link to evidence (optional)").fill("javascript:alert(1)")
    page.get_by_role("button", name="Save update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Explain why the delivery confidence has worsened")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the evidence link as a web address")).to_be_visible()
    summary.get_by_role("link", name="Enter the evidence link as a web address").click()
    expect(page.get_by_label("Link to evidence (optional)")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    assert StatusUpdate.objects.count() == 0

    page.get_by_label("What has happened since the last update?").fill("Trainers for the new course withdrew.")
    page.get_by_label("Link to evidence (optional)").fill("https://example.org/board-paper")
    page.get_by_role("button", name="Save update").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status of action 1.1 updated")
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("confidence green to red")
    expect(timeline).to_contain_text("Trainers for the new course withdrew.")
    expect(timeline).to_contain_text("by Paula Police")
    expect(timeline.get_by_role("link", name="Evidence")).to_have_attribute("href", "https://example.org/board-paper")
    assert_accessible(page)
    assert StatusUpdate.objects.get().author == police_lead


def test_second_submission_from_an_old_page_is_told_what_changed(page, live_server, police_lead, police_action):
    sign_in(page, live_server, "police.lead")
    url = f"{live_server.url}/actions/{police_action.pk}/update/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    page.get_by_role("radio", name="Amber").check()
    page.get_by_label("What has happened since the last update?").fill("First: recruitment is slow.")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    other.get_by_label("What has happened since the last update?").fill("Second: all going well.")
    other.get_by_role("button", name="Save update").click()
    expect(other.locator(".govuk-error-summary")).to_contain_text("Someone else updated this action")
    expect(other.locator("#changed-meanwhile")).to_contain_text("First: recruitment is slow.")
    expect(other.get_by_label("What has happened since the last update?")).to_have_value("Second: all going well.")
    assert_accessible(other)

    other.get_by_role("button", name="Save update").click()
    expect(other.locator(".govuk-notification-banner--success")).to_be_visible()
    assert StatusUpdate.objects.count() == 2


def test_board_member_sees_no_update_button_and_gets_403(page, live_server, board_member, police_action):
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/")
    expect(page.get_by_role("heading", name="Police-only action", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Update status")).to_have_count(0)
    expect(page.get_by_role("link", name="My actions")).to_have_count(0)

    response = page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")
    assert response.status == 403


def test_cps_lead_cannot_update_a_police_only_action(page, live_server, cps_lead, police_action, joint_action):
    sign_in(page, live_server, "cps.lead")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/")
    expect(page.get_by_role("heading", name="Police-only action", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Update status")).to_have_count(0)
    response = page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")
    assert response.status == 403

    # The joint action is theirs too.
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/")
    expect(page.get_by_role("button", name="Update status")).to_be_visible()


def test_a_lead_updates_an_action_without_javascript(browser, live_server, police_lead, police_action):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")

    page.get_by_role("radio", name="Completed").check()
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Explain how the action was completed")

    page.get_by_label("What has happened since the last update?").fill("Delivered to every team.")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status of action 1.1 updated")
    expect(page.locator(".moj-timeline")).to_contain_text("Status in progress to completed")
    context.close()
    update = StatusUpdate.objects.get()
    assert (update.status_to, update.action.completed_on is not None) == ("completed", True)


def test_lead_whose_action_is_closed_while_writing_gets_their_text_back(
    page, live_server, police_lead, cps_lead, joint_action
):
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/update/")
    page.get_by_label("What has happened since the last update?").fill("Two forces trained.")

    action_update_status(
        action=joint_action,
        by=cps_lead,
        status="closed",
        rag="green",
        narrative="Withdrawn by the board.",
        closure_reason="withdrawn",
        expected_version=1,
    )
    page.get_by_role("button", name="Save update").click()

    expect(page.get_by_role("heading", name="This action has been closed", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Withdrawn by the board.")
    expect(page.locator("main")).to_contain_text("Two forces trained.")
    assert_accessible(page)
    assert StatusUpdate.objects.count() == 1
