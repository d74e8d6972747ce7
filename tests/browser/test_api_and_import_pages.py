"""In a real browser: the API docs render under the content security policy with no network; the API tokens page,
the import's pages and the calendar address pass axe-core and work without JavaScript tricks."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A form with mistakes is answered with 400, which the browser notes in its console; that is not a fault.
EXPECTED = "the server responded with a status of 400"


def watch_console(page) -> list[str]:
    problems: list[str] = []

    def noted(message) -> None:
        if (message.type == "error" or "Content Security" in message.text) and EXPECTED not in message.text:
            problems.append(message.text)

    page.on("console", noted)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_the_api_docs_render_from_this_site_under_the_csp(page, live_server, board_member, police_action):
    outside: list[str] = []
    page.on(
        "request", lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None
    )
    problems = watch_console(page)
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("RASSO joint action plan API")).to_be_visible()
    expect(page.get_by_text("/api/v1/actions/{id}/status-updates/").first).to_be_visible()
    assert outside == []
    assert problems == [], problems


def test_a_person_creates_and_revokes_a_token(page, live_server, board_member):
    problems = watch_console(page)
    sign_in(page, live_server, "board.member")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name of the new token").fill("Force performance report")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("rasso_")
    assert_accessible(page)
    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)
    page.get_by_role("button", name="Revoke token Force performance report").click()
    expect(page.get_by_text("revoked: it no longer works")).to_be_visible()
    assert problems == [], problems


def test_an_admin_previews_and_confirms_an_import(page, live_server, admin_user, national_plan, police_lead, tmp_path):
    problems = watch_console(page)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Reference", "Theme", "Title", "Side", "Police lead", "Target date", "Delivery confidence"])
    writer.writerow(
        ["", "1", "Letters explaining no further action decisions", "Joint", "police.lead", "Q1 2022", "Green"]
    )
    writer.writerow(["1.9", "9", "A theme the plan lacks", "Joint", "police.lead", "Dec 2021", "Green"])
    bad = tmp_path / "actions.csv"
    bad.write_text(buffer.getvalue())

    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/plans/national/")
    page.get_by_role("link", name="Import actions from a spreadsheet").click()
    assert_accessible(page)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Choose a CSV or XLSX file to upload").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Spreadsheet of actions").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("The plan has no theme 9")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("button", name="Import 1 action")).to_have_count(0)

    good = tmp_path / "good.csv"
    good.write_text("\n".join(buffer.getvalue().splitlines()[:2]) + "\n")
    page.goto(f"{live_server.url}/plans/national/import/")
    page.get_by_label("Spreadsheet of actions").set_input_files(str(good))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Suggested")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 1 action").click()
    expect(page.get_by_text("1 actions created, 0 updated")).to_be_visible()
    expect(page.get_by_role("link", name="Letters explaining no further action decisions")).to_be_visible()
    expect(page.get_by_text("Q1 2022").first).to_be_visible()
    assert problems == [], problems


def test_a_lead_creates_a_calendar_address(page, live_server, police_lead, police_action):
    sign_in(page, live_server, "police.lead")
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name="Create a calendar address").click()
    address = page.locator("#calendar-url").inner_text()
    assert address.endswith(".ics")
    assert_accessible(page)
    expect(page.get_by_role("button", name="Turn off the calendar address")).to_be_visible()
