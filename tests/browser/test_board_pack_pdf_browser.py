"""The board pack page offers its PDF; the link downloads it; axe-core finds nothing on the page."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser_support import assert_accessible, sign_in
from tests.factories import ReviewCycleFactory

pytestmark = [pytest.mark.browser, pytest.mark.pdf, pytest.mark.django_db(transaction=True)]


def test_board_member_downloads_the_pack_of_a_cycle_as_a_pdf(page, live_server, board_member, police_action):
    cycle = ReviewCycleFactory(plan=police_action.plan, name="Q1 2022-23")
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/reviews/board-pack/?plan={police_action.plan.slug}&cycle={cycle.pk}")
    link = page.get_by_role("link", name="Download as PDF")
    expect(link).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"board-pack-{police_action.plan.slug}-q1-2022-23.pdf"
    reader = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = reader.pages[0].extract_text()
    assert "review cycle Q1 2022-23" in text and "OFFICIAL" in text and "Page 1 of" in text

    # A date that is not real: the same error summary as the pack, which axe-core also checks.
    page.goto(f"{live_server.url}/reviews/board-pack.pdf?day=31&month=2&year=2022")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date must be a real date")
    assert_accessible(page)
