"""The board pack as Chromium prints it: A4, numbered pages, a page per theme of the demo plan, no near-blank page,
no heading left at the foot of a page, nothing of the screen's navigation, forms or sort arrows."""

from __future__ import annotations

import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.browser_support import PASSWORD, assert_accessible, sign_in
from themes.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_POINTS = (595, 842)
# A page with fewer characters than this (besides its number) is as good as blank.
NEAR_BLANK = 150
HEADINGS = (
    "Headline figures",
    "Changes since the last review",
    "Red, amber and overdue actions",
    "Actions whose status or delivery confidence changed",
    "Completed",
    "Became overdue",
    "Added",
)


@pytest.fixture
def demo(db):
    call_command("seed_demo", scale="1", password=PASSWORD, stdout=StringIO())
    return Plan.objects.get(slug="national")


def printed_pages(page) -> list[str]:
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    for sheet in reader.pages:
        assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == A4_POINTS
    return [sheet.extract_text() for sheet in reader.pages]


def test_the_demo_board_pack_prints_a_page_per_theme(live_server, page, demo):
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/reviews/board-pack/?plan=national")
    assert_accessible(page)
    pages = printed_pages(page)
    count = len(pages)
    themes = list(demo.themes.order_by("number"))

    # The front matter (headline figures, completions awaiting confirmation, changes, inspection recommendations)
    # takes at most three pages, then a page per theme.
    assert count <= 3 + len(themes), [text[:80] for text in pages]
    starts = {}
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in text
        body = text.replace(f"Page {number} of {count}", "").strip()
        assert len(body) >= NEAR_BLANK, f"page {number} is nearly blank: {body!r}"
        first_line = body.splitlines()[0]
        match = re.match(r"Theme (\d+): ", first_line)
        if match:
            starts[int(match.group(1))] = number
        # No heading is left alone at the foot of a page.
        last_line = body.splitlines()[-1].strip()
        assert last_line not in HEADINGS, f"page {number} ends with the heading {last_line!r}"
    assert sorted(starts) == [theme.number for theme in themes]
    first = starts[themes[0].number]
    assert list(starts.values()) == list(range(first, first + len(themes)))

    # The first page carries the title and the headline figures, not a title alone.
    assert "Board pack" in pages[0] and "Headline figures" in pages[0]
    assert "actions in total" in pages[0]
    # Nothing of the screen around the pack is printed.
    printed = "\n".join(pages)
    for screen_only in ("Sign out", "Show the pack", "Back to the dashboard", "Skip to main content", "Notifications"):
        assert screen_only not in printed


def test_print_styles_repeat_table_headers_and_drop_sort_arrows(live_server, page, demo):
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/reviews/board-pack/?plan=national")
    # The sortable tables have been enhanced: their headers hold buttons with arrows on screen.
    assert page.locator("[aria-sort] button svg").count() > 0
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => ({
            thead: [...document.querySelectorAll('thead')].map(e => getComputedStyle(e).display),
            arrows: [...document.querySelectorAll('[aria-sort] button svg')].map(e => getComputedStyle(e).display),
            headings: [...document.querySelectorAll('main h2, main h3, main h4')]
                .map(e => getComputedStyle(e).breakAfter),
            themes: [...document.querySelectorAll('.app-pack-theme')].map(e => getComputedStyle(e).breakBefore),
        })"""
    )
    assert set(styles["thead"]) == {"table-header-group"}
    assert set(styles["arrows"]) == {"none"}
    assert set(styles["headings"]) == {"avoid"}
    assert set(styles["themes"]) == {"page"}


def test_a_long_table_repeats_its_header_on_the_next_printed_page(live_server, page, demo):
    """Chromium repeats a table's header row on each page, sort buttons included (as plain text)."""
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/reviews/board-pack/?plan=national")
    # Make the changes table run over several pages, as a busy review would.
    page.evaluate(
        """() => {
            const body = document.querySelector('[data-changed]').closest('tbody');
            const row = body.querySelector('tr');
            for (let i = 0; i < 80; i++) body.appendChild(row.cloneNode(true));
        }"""
    )
    pages = printed_pages(page)
    with_rows = [text for text in pages if "Ref Action Status Confidence" in " ".join(text.split())]
    spanned = [text for text in pages if text.count(row_title(page)) > 0]
    assert len(spanned) >= 2
    assert len(with_rows) >= len(spanned)


def row_title(page) -> str:
    return page.locator("[data-changed] a").first.inner_text().split("\n")[0][:15]
