"""In a real browser: the GOV.UK 403 pages say why, the update form's new errors pass axe-core, and a plan admin
adds an action to a plan from the plan's admin page with JavaScript switched off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action, StatusUpdate
from tests.browser_support import assert_accessible, sign_in
from tests.factories import LocalPlanFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_opening_the_admin_gets_the_govuk_403_page(page, live_server, police_lead, national_plan):
    sign_in(page, live_server, "police.lead")

    response = page.goto(f"{live_server.url}/admin/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="The admin is for plan admins", level=1)).to_be_visible()
    expect(page.get_by_text("You are signed in as Paula Police, a lead, so you cannot use it.")).to_be_visible()
    expect(page.get_by_role("link", name="Go to My actions")).to_have_attribute("href", "/actions/mine/")
    assert_accessible(page)


def test_a_lead_refused_an_update_is_told_why(page, live_server, cps_lead, police_action):
    sign_in(page, live_server, "cps.lead")

    response = page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot update this action", level=1)).to_be_visible()
    expect(page.get_by_text("This action is led by the police; you are a CPS lead.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Go back to action 1.1").click()
    expect(page.get_by_role("heading", name="Police-only action", level=1)).to_be_visible()


def test_the_update_form_with_its_new_errors_passes_axe_and_saves_once_corrected(
    page, live_server, police_lead, police_action
):
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")
    example = timezone.localdate() + timedelta(days=90)
    expect(page.get_by_text(f"For example, {example.day} {example.month} {example.year}")).to_be_visible()

    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_role("radio", name="Red").check()
    page.get_by_label("What has happened since the last update?").fill("Late")
    page.get_by_label("Link to evidence (optional)").fill("minutes")
    page.get_by_label("Day").fill(str(yesterday.day))
    page.get_by_label("Month").fill(str(yesterday.month))
    page.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_label("Reason for revising the target date").fill("The supplier delivered late.")
    page.get_by_role("button", name="Save update").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name=re.compile("^A revised target date must be today or later"))
    ).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("^Explain in a sentence why the delivery"))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("^Enter the evidence link as a web address"))).to_be_visible()
    link_input = page.get_by_label("Link to evidence (optional)")
    expect(link_input).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(page.locator("#div_id_evidence_url")).to_have_class(re.compile(r"\bgovuk-form-group--error\b"))
    assert_accessible(page)
    assert not StatusUpdate.objects.exists()

    later = timezone.localdate() + timedelta(days=60)
    page.get_by_label("What has happened since the last update?").fill("The supplier is two months late.")
    link_input.fill("example.org/board-paper")
    page.get_by_label("Day").fill(str(later.day))
    page.get_by_label("Month").fill(str(later.month))
    page.get_by_label("Year").fill(str(later.year))
    page.get_by_role("button", name="Save update").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status of action 1.1 updated")
    timeline = page.locator(".moj-timeline")
    expect(timeline.get_by_role("link", name="https://example.org/board-paper")).to_have_attribute(
        "href", "https://example.org/board-paper"
    )
    assert_accessible(page)
    assert StatusUpdate.objects.get().evidence_url == "https://example.org/board-paper"


def test_a_plan_admin_adds_an_action_to_a_plan_without_javascript(
    browser, live_server, admin_user, national_plan, police_action, police_lead
):
    local = LocalPlanFactory(mirrors=national_plan, title="Avon and Somerset joint action plan", slug="avon")
    ThemeFactory(plan=local, number=1, title="Supporting victims", mirrors=national_plan.themes.get(number=1))
    police_lead.organisation = local.police_force
    police_lead.save()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "admin")

    page.goto(f"{live_server.url}/admin/themes/plan/{local.pk}/change/")
    page.get_by_role("link", name="Add an action to this plan").click()
    expect(page).to_have_url(re.compile(rf"/admin/actions/action/add/\?plan={local.pk}$"))
    theme = page.get_by_label("Theme:")
    expect(theme.locator("option")).to_have_text(
        ["---------", "Avon and Somerset joint action plan: 1. Supporting victims"]
    )
    theme.select_option(label="Avon and Somerset joint action plan: 1. Supporting victims")
    page.get_by_label("Reference:").fill("1.1")
    page.get_by_label("Title:").fill("Local ISVA service")
    page.get_by_label("Side:").select_option("police")
    page.get_by_label("Police lead:").select_option(label=f"Paula Police ({local.police_force.display_name})")
    page.get_by_label("Start date:").fill("01/04/2021")
    page.get_by_label("Target date:", exact=True).fill("31/03/2022")
    page.get_by_label("Mirrors:").select_option(label="Joint national action plan: 1.1 Police-only action")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    context.close()
    action = Action.objects.get(plan=local)
    assert (action.reference, action.theme.plan, action.mirrors) == ("1.1", local, police_action)
