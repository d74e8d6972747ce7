"""axe-core over the pages no other browser test visits: review cycles, a local plan, the error pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in
from tests.factories import LocalPlanFactory, ReviewCycleFactory, StatusUpdateFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_cycles_local_plan_and_error_pages_pass_axe(page, live_server, admin_user, police_action, police_lead):
    cycle = ReviewCycleFactory(plan=police_action.plan, name="Q1 2022-23")
    StatusUpdateFactory(action=police_action, author=police_lead, review_cycle=cycle, version=2)
    local = LocalPlanFactory(mirrors=police_action.plan, title="Avon and Somerset joint plan", slug="avon")
    ThemeFactory(plan=local, number=1, title="Supporting victims", mirrors=police_action.theme)

    sign_in(page, live_server, "admin")
    for path, heading in [
        ("/reviews/", "Review cycles"),
        (f"/reviews/{cycle.pk}/", "Review cycle Q1 2022-23"),
        ("/plans/avon/", "Avon and Somerset joint plan"),
        ("/actions/999999/", "Page not found"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert_accessible(page)


def test_forbidden_page_passes_axe(page, live_server, outsider, national_plan):
    sign_in(page, live_server, "outsider")
    page.goto(f"{live_server.url}/reviews/dashboard/")
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    assert_accessible(page)
