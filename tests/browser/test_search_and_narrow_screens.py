"""Search from the header, My actions' filters, and the pages leads read on a phone: in Chromium at 375 px wide
(no sideways scrolling of the page), with and without JavaScript, and free of axe-core violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from actions.models import Rag, Side, Status
from tests.browser_support import assert_accessible, sign_in
from tests.factories import ActionFactory, CpsAreaFactory, LocalPlanFactory, PoliceForceFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def lead_actions(national_plan, police_lead, police_force, police_action):
    """Paula leads a police action and a joint one; her force owns a completed action; the police action is
    mirrored by three local plans."""
    ActionFactory(
        theme=national_plan.themes.get(number=2),
        reference="2.4",
        title="Agree a national investigation plan template for rape investigations with every force",
        side=Side.POLICE,
        police_lead=police_lead,
        status=Status.NOT_STARTED,
        rag=Rag.RED,
    )
    done = ActionFactory(
        theme=national_plan.themes.get(number=3),
        reference="3.2",
        title="Digital processing notices",
        side=Side.POLICE,
        status=Status.COMPLETED,
        completed_on="2022-01-10",
    )
    done.lead_organisations.add(police_force)
    for n in range(3):
        local = LocalPlanFactory(
            mirrors=national_plan,
            slug=f"local-{n}",
            title=f"Local joint action plan of a force with a long name number {n}",
            police_force=PoliceForceFactory(name=f"A police force with a long name {n}"),
            cps_area=CpsAreaFactory(name=f"CPS Area {n}"),
        )
        theme = ThemeFactory(plan=local, number=1, mirrors=police_action.theme)
        ActionFactory(theme=theme, reference="1.1", title=f"Local {n}", side=Side.POLICE, mirrors=police_action)
    return police_action


def narrow_page(browser, live_server, username: str, *, javascript: bool = True):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server, username)
    return context, page


def assert_no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_my_actions_reads_and_filters_at_375_pixels(browser, live_server, police_lead, lead_actions):
    context, page = narrow_page(browser, live_server, "police.lead")
    assert page.url.endswith("/actions/mine/")
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    page.get_by_role("checkbox", name="Hide completed and closed actions").check()
    page.get_by_role("radio", name="Only those I lead").check()
    page.get_by_role("button", name="Apply filters").click()
    assert "hide_done=yes" in page.url and "whose=led" in page.url
    expect(page.locator("[data-action]")).to_have_count(2)
    expect(page.locator(".moj-filter__tag", has_text="Only those I lead")).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    context.close()


def test_my_actions_filters_work_without_javascript(browser, live_server, police_lead, lead_actions):
    context, page = narrow_page(browser, live_server, "police.lead", javascript=False)
    page.goto(f"{live_server.url}/actions/mine/")
    page.get_by_role("checkbox", name="Completed", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    assert "status=completed" in page.url
    expect(page.locator("[data-action]")).to_have_count(1)
    page.goto(f"{live_server.url}/actions/mine/?status=done")
    expect(page.get_by_text("There is a problem with the filters")).to_be_visible()
    context.close()


def test_the_action_page_reads_at_375_pixels(browser, live_server, board_member, lead_actions):
    context, page = narrow_page(browser, live_server, "board.member")
    page.goto(f"{live_server.url}{lead_actions.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Police-only action", level=1)).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_search_from_the_header_finds_actions(browser, live_server, board_member, lead_actions, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server, "board.member")
    page.get_by_label("Search actions by reference, words or lead").fill("investigation plan")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "/actions/search/?q=investigation+plan" in page.url
    expect(page.get_by_text("1 action found for ‘investigation plan’")).to_be_visible()
    expect(page.get_by_role("link", name="2.4 Agree a national investigation plan template")).to_be_visible()
    if javascript:  # axe-core runs in the page
        assert_accessible(page)
    page.get_by_label("Search actions", exact=True).fill("")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("link", name="Enter a reference, words from an action or a lead’s name")).to_be_visible()
    if javascript:
        assert_accessible(page)
    context.close()


def test_search_results_read_at_375_pixels(browser, live_server, board_member, lead_actions):
    context, page = narrow_page(browser, live_server, "board.member")
    page.goto(f"{live_server.url}/actions/search/?q=1.1")
    expect(page.locator("[data-result]")).to_have_count(4)
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_dashboard_and_a_theme_page_read_at_375_pixels(
    browser, live_server, board_member, lead_actions, javascript
):
    context, page = narrow_page(browser, live_server, "board.member", javascript=javascript)
    page.goto(f"{live_server.url}/reviews/dashboard/")
    expect(page.get_by_role("heading", name="Local plans", level=2)).to_be_visible()
    assert_no_sideways_scrolling(page)
    # The local plans table's cells carry no label of their own: on a phone each is named by the stylesheet, as
    # its column's header names it.
    table = page.locator("table.app-local-plans-table")
    headers = table.locator("thead th").all_inner_texts()
    row = table.locator("tbody tr").first
    expect(row.locator("th a")).to_be_visible()
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(cell => getComputedStyle(cell, '::before').content.replace(/^\"|\"$/g, ''))"
    )
    assert labels == headers[1:]
    if javascript:
        assert_accessible(page)
    page.goto(f"{live_server.url}/reviews/dashboard/themes/1/")
    assert_no_sideways_scrolling(page)
    if javascript:
        assert_accessible(page)
    context.close()
