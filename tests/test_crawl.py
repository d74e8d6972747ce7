"""Every link the service shows leads somewhere: a crawl of the demo data as each role finds no broken link
and no server error."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from actionplan.models import User
from tests.conftest import weasyprint_can_run

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')
SKIP = ("/admin/", "/accounts/logout/", "/static/")
# The board pack PDF is followed once per crawl, where WeasyPrint can run (elsewhere it answers 503, by design):
# its other links are the same view with another cycle, which tests/reviews/test_board_pack_pdf.py renders.
PDF = "/reviews/board-pack.pdf"
FOLLOW_PDF = weasyprint_can_run()
LIMIT = 400


@pytest.fixture
def demo(db):
    call_command("seed_demo", scale="1", password="crawl-password-123", stdout=StringIO())
    User.objects.create_user(username="no.role", password="crawl-password-123", role=User.Role.NONE)


def crawl(client, start: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode()):
            href, _fragment = urldefrag(unescape(href))
            parts = urlsplit(href)
            if not href or parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            if href.startswith(PDF) and (not FOLLOW_PDF or any(url.startswith(PDF) for url in seen)):
                continue
            if href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("username", ["police.lead", "cps.lead", "board.member", "admin", "no.role"])
def test_no_link_is_broken_and_no_page_fails(client, demo, username):
    client.force_login(User.objects.get(username=username))
    statuses = crawl(client, "/")
    assert len(statuses) > 40, "the crawl should reach the plan, its themes and actions"
    failing = {url: status for url, status in statuses.items() if status >= 400}
    assert failing == {}, failing
