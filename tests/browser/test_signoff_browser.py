"""Joint sign-off in a real browser: one side proposes, the other declines then confirms; axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action, Status, StatusUpdate
from actions.services import action_update_status
from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def propose(action, by) -> None:
    action_update_status(
        action=action,
        by=by,
        status="completed",
        rag="green",
        narrative="Delivered in every force area.",
        expected_version=action.version,
    )


def test_police_lead_proposes_and_cps_lead_declines_then_confirms(
    page, live_server, police_lead, cps_lead, joint_action, board_member
):
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/update/")
    page.get_by_role("radio", name="Completed").check()
    page.get_by_label("What has happened since the last update?").fill("Rolled out in every force.")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Completion of action 2.1 proposed: it is completed when the CPS lead confirms it"
    )
    expect(page.locator("#completion-proposed")).to_contain_text("awaiting the CPS lead")
    expect(page.locator(".moj-timeline")).to_contain_text("Completion proposed by the police lead")
    expect(page.get_by_role("button", name="Update status")).to_have_count(0)
    assert_accessible(page)

    # The proposer's update page says why it takes no update now; the decision page refuses them with the reason.
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/update/")
    expect(page.get_by_role("heading", name="Completion is awaiting confirmation", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/completion/")
    expect(page.get_by_role("heading", name="You cannot confirm or decline this completion", level=1)).to_be_visible()
    expect(page.locator("[data-refusal]")).to_contain_text("You proposed this completion")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "cps.lead")
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/")
    page.get_by_role("button", name="Confirm or decline completion").click()
    expect(page.get_by_role("heading", name="Confirm or decline completion", level=1)).to_be_visible()
    assert_accessible(page)

    # Declining without a reason: the error summary takes the focus and links to the reason.
    page.get_by_role("radio", name="Decline").check()
    page.get_by_role("button", name="Save decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Give the reason you are declining the completion").click()
    expect(page.get_by_label("Comment, or your reason for declining")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.get_by_label("Comment, or your reason for declining").fill("Not yet in use in two Areas.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("declined: it is back in progress")
    expect(page.locator(".moj-timeline")).to_contain_text("Reason: Not yet in use in two Areas.")
    assert_accessible(page)

    propose(Action.objects.get(pk=joint_action.pk), police_lead)
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/completion/")
    page.get_by_role("radio", name="Confirm completion").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("confirmed: it is completed")
    assert Action.objects.get(pk=joint_action.pk).status == Status.COMPLETED

    # Once decided, the decision page says there is nothing left to decide.
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/completion/")
    expect(page.get_by_role("heading", name="No completion is awaiting confirmation", level=1)).to_be_visible()
    assert_accessible(page)


def test_admin_confirms_on_behalf_and_the_board_sees_proposals(
    page, live_server, police_lead, cps_lead, admin_user, board_member, joint_action, police_action
):
    propose(joint_action, police_lead)
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/reviews/dashboard/")
    section = page.locator("section", has=page.get_by_role("heading", name="Completions awaiting confirmation"))
    expect(section).to_contain_text("Paula Police (police)")
    assert_accessible(page)
    page.goto(f"{live_server.url}/reviews/board-pack/")
    expect(page.locator('[data-figure="pack-completion_proposed"]')).to_have_text("1")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/actions/{joint_action.pk}/completion/")
    expect(page.get_by_role("group", name="Your decision, on the CPS lead’s behalf")).to_be_visible()
    page.get_by_role("radio", name="Confirm completion").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Give the reason you are confirming the completion on the CPS lead’s behalf"
    )
    assert_accessible(page)
    page.get_by_label("Why are you deciding on the CPS lead’s behalf?").fill("Confirmed by the Area in writing.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".moj-timeline")).to_contain_text("Completion confirmed by an admin on the CPS lead’s behalf")
    assert StatusUpdate.objects.get(kind="completion_confirmed").on_behalf
