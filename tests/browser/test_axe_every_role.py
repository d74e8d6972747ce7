"""axe-core over every type of page, as each role (lead, board member, admin, no role, signed out), including each
form with its errors showing, with no rule switched off and no finding let through."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from actions.models import Side, Status
from tests.browser_support import assert_accessible, sign_in
from tests.factories import (
    ActionFactory,
    LocalPlanFactory,
    ReviewCycleFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan_data(national_plan, police_action, joint_action, police_lead, admin_user, board_member):
    cycle = ReviewCycleFactory(plan=national_plan, name="Q1 2022-23")
    StatusUpdateFactory(action=police_action, author=police_lead, review_cycle=cycle, version=2)
    local = LocalPlanFactory(mirrors=national_plan, title="Avon and Somerset joint plan", slug="avon")
    local_theme = ThemeFactory(plan=local, number=1, title="Supporting victims", mirrors=police_action.theme)
    ActionFactory(theme=local_theme, reference="1.1", title="Local ISVA referrals", mirrors=police_action)
    closed = ActionFactory(
        theme=national_plan.themes.get(number=3),
        reference="3.1",
        title="Closed action",
        side=Side.POLICE,
        police_lead=police_lead,
        status=Status.CLOSED,
        closure_reason="withdrawn",
    )
    national_plan.board_members.add(board_member)
    national_plan.admins.add(admin_user)
    return {"cycle": cycle, "action": police_action, "closed": closed}


def check(page, live_server, path: str, heading: str | None = None) -> None:
    page.goto(f"{live_server.url}{path}")
    if heading:
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    assert_accessible(page)


def reading_pages(live_server, page, data) -> None:
    """The pages every signed-in person reads, and the error pages."""
    check(page, live_server, "/", "Joint national action plan")
    check(page, live_server, "/plans/national/themes/1/", "Theme 1: Supporting victims")
    check(page, live_server, "/plans/avon/", "Avon and Somerset joint plan")
    check(page, live_server, f"/actions/{data['action'].pk}/", "Police-only action")
    check(page, live_server, f"/actions/{data['closed'].pk}/", "Closed action")
    check(page, live_server, "/accessibility/", "Accessibility statement for the RASSO joint action plan")
    check(page, live_server, "/privacy/", "Privacy notice")
    check(page, live_server, "/actions/999999/", "Page not found")
    check(page, live_server, "/reviews/dashboard/?plan=%00", "There is a problem with the request")
    # The reminder choices, then the same form with an error (a value that is not one of the choices).
    check(page, live_server, "/notifications/", "Notifications")
    page.locator("#optional").evaluate("input => { input.value = 'every_hour'; input.checked = true; }")
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select only the reminders listed")
    assert_accessible(page)


def board_pages(live_server, page, data) -> None:
    """The dashboard, the board pack and the review cycles, each form with its errors."""
    check(page, live_server, "/reviews/dashboard/", "Dashboard: Joint national action plan")
    check(page, live_server, "/reviews/dashboard/?rag=red&rag=amber&overdue=yes&side=police")
    check(page, live_server, "/reviews/dashboard/?plan=avon", "Dashboard: Avon and Somerset joint plan")
    check(page, live_server, "/reviews/dashboard/?theme=99&overdue=perhaps&lead=999999")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, live_server, f"/reviews/board-pack/?cycle={data['cycle'].pk}")
    check(page, live_server, "/reviews/board-pack/?day=31&month=2&year=2022")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, live_server, "/reviews/", "Review cycles")
    check(page, live_server, f"/reviews/{data['cycle'].pk}/", "Review cycle Q1 2022-23")


def update_pages(live_server, page, data) -> None:
    """My actions, the update form, and the form with its errors."""
    check(page, live_server, "/actions/mine/", "My actions")
    check(page, live_server, f"/actions/{data['action'].pk}/update/", "Update status")
    page.get_by_role("radio", name="Red").check()
    page.get_by_label("Link to evidence (optional)").fill("javascript:alert(1)")
    page.get_by_role("group", name="Revised target date (optional)").get_by_label("Day").fill("31")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_lead_pages_pass_axe(page, live_server, plan_data):
    sign_in(page, live_server, "police.lead")
    reading_pages(live_server, page, plan_data)
    board_pages(live_server, page, plan_data)
    update_pages(live_server, page, plan_data)
    # A closed action answers a lead's update form with the forbidden page.
    check(page, live_server, f"/actions/{plan_data['closed'].pk}/update/", "You cannot update this action")


def test_board_member_pages_pass_axe(page, live_server, plan_data):
    sign_in(page, live_server, "board.member")
    reading_pages(live_server, page, plan_data)
    board_pages(live_server, page, plan_data)
    check(page, live_server, f"/actions/{plan_data['action'].pk}/update/", "You cannot update this action")


def test_admin_pages_pass_axe(page, live_server, plan_data):
    sign_in(page, live_server, "admin")
    reading_pages(live_server, page, plan_data)
    board_pages(live_server, page, plan_data)
    update_pages(live_server, page, plan_data)
    # Only an admin reopens a closed action: its form, and the form with errors.
    check(page, live_server, f"/actions/{plan_data['closed'].pk}/update/", "Reopen action")
    page.get_by_role("button", name="Reopen action").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_pages_of_a_person_with_no_role_pass_axe(page, live_server, plan_data, outsider):
    sign_in(page, live_server, "outsider")
    reading_pages(live_server, page, plan_data)
    check(page, live_server, "/reviews/dashboard/", "You cannot do this")


def test_pages_signed_out_pass_axe(page, live_server, plan_data):
    check(page, live_server, "/accessibility/", "Accessibility statement for the RASSO joint action plan")
    check(page, live_server, "/privacy/", "Privacy notice")
    check(page, live_server, "/accounts/login/", "Sign in")
    page.get_by_label("Username").fill("police.lead")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
