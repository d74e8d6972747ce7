"""An admin makes a local plan from the national plan in a real browser, adds a local action and marks one not
applicable; a local lead answers a change of the national wording. axe-core finds nothing on any page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actionplan.models import User
from actions.models import NationalChange
from actions.services import action_change_content
from tests.browser_support import assert_accessible, sign_in
from tests.factories import UserFactory
from themes.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_makes_a_local_plan_and_a_lead_answers_a_national_change(
    page, live_server, admin_user, police_action, joint_action, police_force, cps_area
):
    UserFactory(
        username="avon.lead", first_name="Ava", last_name="Avon", role=User.Role.LEAD, organisation=police_force
    )
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/plans/national/")
    page.get_by_role("button", name="Make a local plan from this plan").click()
    expect(page.get_by_role("heading", name="Make a local plan", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make the local plan").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Choose a police force")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Police force").select_option(label=police_force.name)
    page.get_by_label("CPS Area").select_option(label=cps_area.name)
    page.get_by_label("Police lead of the local actions (optional)").select_option(
        label=f"Ava Avon, {police_force.display_name}"
    )
    page.get_by_role("button", name="Make the local plan").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("made with 2 actions")
    expect(
        page.get_by_role("heading", name=re.compile("Avon and Somerset Constabulary and CPS South West"))
    ).to_be_visible()
    assert_accessible(page)
    local = Plan.objects.get(kind=Plan.Kind.LOCAL)

    # The same pair again is refused, and says why.
    page.goto(f"{live_server.url}/plans/national/local-plans/new/")
    page.get_by_label("Police force").select_option(label=police_force.name)
    page.get_by_label("CPS Area").select_option(label=cps_area.name)
    page.get_by_role("button", name="Make the local plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already have a local plan mirroring this plan")
    assert_accessible(page)

    # A local addition.
    page.goto(f"{live_server.url}{local.get_absolute_url()}")
    page.get_by_role("button", name="Add a local action").click()
    assert_accessible(page)
    page.get_by_label("Theme").select_option(label="1. Supporting victims")
    page.get_by_label("Title").fill("Set up a victim liaison panel")
    page.get_by_role("radio", name="Joint").check()
    for box, value in zip(("start_date", "target_date"), (("1", "4", "2022"), ("31", "3", "2023")), strict=True):
        for index, part in enumerate(value):
            page.locator(f"#id_{box}_{index}").fill(part)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", name="Set up a victim liaison panel", level=1)).to_be_visible()
    expect(page.get_by_text("Action 1.L1", exact=True)).to_be_visible()

    # Not applicable locally.
    copy = local.actions.get(reference="2.1")
    page.goto(f"{live_server.url}{copy.get_absolute_url()}")
    page.get_by_role("link", name="Mark as not applicable locally").click()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as not applicable locally").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why it does not apply here")
    page.get_by_label("Why does it not apply locally?").fill("Delivered by the regional unit.")
    page.get_by_role("button", name="Mark as not applicable locally").click()
    expect(page.locator("[data-not-applicable]")).to_contain_text("Delivered by the regional unit.")
    assert_accessible(page)

    # The national wording changes; the local lead answers.
    action_change_content(action=police_action, by=admin_user, reason="Changed by an admin", title="New wording")
    assert NationalChange.objects.filter(answer="pending").count() == 1
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "avon.lead")
    page.goto(f"{live_server.url}{local.actions.get(reference='1.1').get_absolute_url()}")
    page.get_by_role("link", name="See the change and answer it").click()
    expect(page.get_by_role("heading", name="National action changed", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Keep the local wording").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the local wording is kept")
    assert_accessible(page)
    page.get_by_role("button", name="Use the new national wording").click()
    expect(page.get_by_role("heading", name="New wording", level=1)).to_be_visible()
    assert_accessible(page)
    assert NationalChange.objects.get().answer == "accepted"
