"""Leads update their actions in a real browser; board members and other sides cannot; axe-core finds nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action, StatusUpdate
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
    evidence = timeline.get_by_role("link", name="https://example.org/board-paper")
    expect(evidence).to_have_attribute("href", "https://example.org/board-paper")
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


def test_a_lead_closes_an_action_by_choosing_how_it_is_closed(page, live_server, police_lead, police_action):
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")
    superseded = page.get_by_role("radio", name="Closed: superseded", exact=True)
    withdrawn = page.get_by_role("radio", name="Closed: withdrawn", exact=True)

    # Each way of closing is an answer of its own, on the page from the start, with its meaning as a hint.
    expect(page.get_by_role("group", name="Status").get_by_role("radio")).to_have_count(5)
    expect(superseded).to_be_visible()
    expect(withdrawn).to_be_visible()
    expect(page.get_by_text("Another action carries this work forward.")).to_be_visible()
    expect(page.get_by_text("The work is no longer needed.")).to_be_visible()
    expect(page.locator("[aria-expanded], [aria-controls^='conditional-'], .govuk-radios__conditional")).to_have_count(
        0
    )
    assert_accessible(page)

    # Closed without saying how: the answer is kept, the summary has the focus and links to the narrative.
    withdrawn.check()
    page.get_by_role("button", name="Save update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(withdrawn).to_be_checked()
    summary.get_by_role("link", name="Explain how the action was closed").click()
    expect(page.get_by_label("What has happened since the last update?")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    assert StatusUpdate.objects.count() == 0

    page.get_by_label("What has happened since the last update?").fill("The board withdrew it.")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status of action 1.1 updated")
    expect(page.locator("main")).to_contain_text("Closed (withdrawn)")
    police_action.refresh_from_db()
    assert (police_action.status, police_action.closure_reason) == ("closed", "withdrawn")


def test_a_lead_closes_an_action_without_javascript(browser, live_server, police_lead, police_action):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")

    superseded = page.get_by_role("radio", name="Closed: superseded", exact=True)
    expect(superseded).not_to_be_checked()
    superseded.check()
    page.get_by_role("button", name="Save update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Explain how the action was closed")).to_have_attribute(
        "href", "#id_narrative"
    )
    expect(superseded).to_be_checked()
    assert StatusUpdate.objects.count() == 0

    page.get_by_label("What has happened since the last update?").fill("Replaced by action 1.4.")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status of action 1.1 updated")
    expect(page.locator("main")).to_contain_text("Closed (superseded)")
    context.close()
    police_action.refresh_from_db()
    assert (police_action.status, police_action.closure_reason) == ("closed", "superseded")


def test_form_with_errors_and_no_scripts_of_its_own_passes_axe_without_exception(
    browser, live_server, police_lead, police_action
):
    # axe-core needs JavaScript to run, so here only the page's own scripts are kept from loading: the page is
    # as a browser without JavaScript shows it.
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: route.abort() if route.request.resource_type == "script" else route.continue_(),
    )
    page = context.new_page()
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")
    page.get_by_role("radio", name="Closed: superseded", exact=True).check()
    page.get_by_role("radio", name="Red").check()
    page.get_by_role("button", name="Save update").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Explain why the delivery confidence has worsened")
    expect(page.get_by_role("radio", name="Closed: superseded", exact=True)).to_be_checked()
    assert_accessible(page)
    context.close()


def test_admin_reopens_a_closed_action(page, live_server, admin_user, police_lead, police_action):
    action_update_status(
        action=police_action,
        by=police_lead,
        status="closed",
        rag="green",
        narrative="Withdrawn by the board.",
        closure_reason="withdrawn",
        expected_version=1,
    )
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/")
    expect(page.get_by_role("button", name="Update status")).to_have_count(0)
    page.get_by_role("button", name="Reopen action").click()

    expect(page.get_by_role("heading", name="Reopen action", level=1)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Reopen action 1\.1"))
    expect(page.get_by_role("radio", name="Closed: withdrawn", exact=True)).to_be_checked()
    assert_accessible(page)

    # Saving it still closed is refused: an update of a closed action reopens it.
    page.get_by_label("What has happened since the last update?").fill("Still withdrawn.")
    page.get_by_role("button", name="Reopen action").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role(
        "link", name="This action is closed: to update it, reopen it by choosing another status"
    ).click()
    expect(page.get_by_role("radio", name="Not started")).to_be_focused()
    assert_accessible(page)

    page.get_by_role("radio", name="In progress").check()
    page.get_by_label("What has happened since the last update?").fill("The board restarted it.")
    page.get_by_role("button", name="Reopen action").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action 1.1 reopened")
    expect(page.get_by_role("button", name="Update status")).to_be_visible()
    action = Action.objects.get(pk=police_action.pk)
    assert (action.status, action.closure_reason) == ("in_progress", "")
