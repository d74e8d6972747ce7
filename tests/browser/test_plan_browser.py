"""A person signs in with a real browser and reads the plan; the pages pass axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)


def test_board_member_reads_the_plan_and_a_theme(page, live_server, board_member, police_action):
    csp_violations: list[str] = []
    page.on(
        "console", lambda message: csp_violations.append(message.text) if "Content Security" in message.text else None
    )
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Joint national action plan")).to_be_visible()
    for title in ["Supporting victims", "Casework quality", "Right to privacy", "Training", "Collaboration"]:
        expect(page.get_by_text(title).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Theme 1: Supporting victims").click()
    expect(page.get_by_role("heading", name="Theme 1: Supporting victims")).to_be_visible()
    expect(page.get_by_role("link", name="Police-only action")).to_be_visible()
    assert_accessible(page)
    assert csp_violations == []


def test_signing_out_returns_to_sign_in(page, live_server, board_member, national_plan):
    sign_in(page, live_server, "board.member")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
