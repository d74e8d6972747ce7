"""The dashboard and the board pack in Chromium: readable, usable without JavaScript, and free of axe-core
violations."""

from __future__ import annotations

import pytest

from tests.browser_support import assert_accessible, sign_in
from tests.reviews.builders import build_known_plan, build_local_plans
from themes.models import ReviewCycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def known(national_plan, police_lead, cps_lead, police_force, cps_area):
    actions = build_known_plan(
        national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
    )
    build_local_plans(national_plan, actions)
    return actions


def test_dashboard_passes_axe_and_filters_by_link(live_server, page, board_member, known):
    sign_in(page, live_server, board_member.username)
    # Board members land on the dashboard.
    assert page.url.endswith("/reviews/dashboard/")
    assert page.get_by_role("heading", name="Dashboard: Joint national action plan").is_visible()
    assert page.get_by_role("img", name="Status of all actions: 1 completed, 3 in progress, 2 not started, 1 closed")
    assert_accessible(page)

    page.get_by_role("checkbox", name="Red").check()
    page.get_by_role("button", name="Apply filters").click()
    assert "rag=red" in page.url
    assert page.locator('[data-figure="t-total"]').inner_text() == "2"
    assert page.locator(".moj-filter__tag", has_text="Red").is_visible()
    assert_accessible(page)

    page.locator(".moj-filter__tag", has_text="Red").click()
    assert page.locator('[data-figure="t-total"]').inner_text() == "7"


def test_dashboard_works_without_javascript(live_server, browser, board_member, known):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, board_member.username)
    page.goto(f"{live_server.url}/reviews/dashboard/?theme=2")
    assert page.locator('[data-figure="t-total"]').inner_text() == "3"
    assert page.get_by_role("button", name="Apply filters").is_visible()
    context.close()


def test_board_pack_passes_axe_and_prints_on_a4(live_server, page, board_member, known):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    sign_in(page, live_server, board_member.username)
    page.goto(f"{live_server.url}/reviews/board-pack/?cycle={cycle.pk}")
    assert page.get_by_role("heading", name="Joint national action plan: board meeting 28 April 2022").is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert page.locator(".govuk-service-navigation").is_hidden()
    assert page.locator('form[action="/reviews/board-pack/"]').is_hidden()
    assert page.locator("form.app-header-search").is_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_a_themes_page_passes_axe_and_is_reached_from_the_dashboard(live_server, page, board_member, known):
    sign_in(page, live_server, board_member.username)
    page.goto(f"{live_server.url}/reviews/dashboard/?rag=red")
    page.get_by_role("link", name="1. Supporting victims").click()
    assert page.url.endswith("/reviews/dashboard/themes/1/?rag=red")
    assert page.get_by_role("heading", name="Theme 1: Supporting victims", level=1).is_visible()
    assert page.locator('[data-figure="t-total"]').inner_text() == "1"
    assert_accessible(page)
    page.get_by_role("link", name="Theme 2: Casework quality").click()
    assert page.get_by_role("heading", name="Theme 2: Casework quality", level=1).is_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    ["/reviews/dashboard/", "/reviews/dashboard/themes/1/", "/reviews/dashboard/?plan=local-kent"],
)
def test_no_table_is_wider_than_the_page_at_1280_pixels(live_server, browser, board_member, known, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, board_member.username)
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    widths = page.evaluate(
        """() => [...document.querySelectorAll('table')].map(t => ({
            caption: (t.caption ? t.caption.textContent : '').trim(),
            width: t.getBoundingClientRect().width,
            room: t.parentElement.getBoundingClientRect().width,
        }))"""
    )
    assert widths
    for table in widths:
        assert table["width"] <= table["room"] + 0.5, table
    context.close()


@pytest.mark.parametrize("path", ["/reviews/dashboard/", "/reviews/dashboard/themes/1/"])
def test_the_dashboard_reads_at_375_pixels_without_sideways_scrolling(live_server, browser, board_member, known, path):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, board_member.username)
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Tables of figures become cards: each figure beside the name of its column.
    assert page.locator("table.app-stack-table").count() >= 2
    label = page.evaluate(
        "getComputedStyle(document.querySelector('.app-stack-table td[data-label]'), '::before').content"
    )
    assert label not in ("none", "normal", '""')
    assert_accessible(page)
    context.close()


def test_a_planned_cycles_board_pack_says_there_is_nothing_yet_and_passes_axe(live_server, page, board_member, known):
    from datetime import date

    from tests.factories import ReviewCycleFactory

    planned = ReviewCycleFactory(
        plan=known["1.1"].plan,
        name="Q3 2099-00",
        opens_on=date(2099, 10, 1),
        updates_due_on=date(2099, 10, 21),
        board_meeting_on=date(2099, 10, 28),
        state=ReviewCycle.State.PLANNED,
    )
    sign_in(page, live_server, board_member.username)
    page.goto(f"{live_server.url}/reviews/board-pack/?cycle={planned.pk}")
    assert page.get_by_role("heading", name="Joint national action plan: board meeting 28 October 2099").is_visible()
    assert page.get_by_text("so there is nothing to show yet").is_visible()
    assert page.locator("[data-figure]").count() == 0
    assert_accessible(page)
