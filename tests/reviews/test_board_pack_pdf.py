"""The board pack as a PDF: the print view's content on A4 pages, numbered and marked OFFICIAL, with no network."""

from __future__ import annotations

import io
import logging
import re
import socket

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reviews import pdf as pdf_module
from reviews.pdf import RefusedURL, pdf_from_html, static_file_bytes, static_files_fetcher, static_name
from tests.factories import ActionFactory, PlanFactory, ThemeFactory
from tests.reviews.builders import figures
from themes.models import Plan, ReviewCycle

pytestmark = pytest.mark.django_db
# The tests that render a PDF, or use WeasyPrint's fetcher; the others (access, bad input) run without it.
renders = pytest.mark.pdf

A4 = (595.28, 841.89)  # points
GOVUK_BLUE = "0.113725 0.439216 0.721569"  # #1d70b8, the "in progress" bar of GOV.UK Frontend's palette
GOVUK_TEXT = "0.043137 0.047059 0.047059"  # #0b0c0c


def pdf_url(query: str = "") -> str:
    return reverse("reviews:board_pack_pdf") + query


def get(client, user, query: str = ""):
    client.force_login(user)
    return client.get(pdf_url(query))


def read(response) -> PdfReader:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.content))


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"The PDF tried to reach the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@renders
def test_the_pack_of_a_cycle_is_an_a4_pdf_with_title_cycle_marking_and_page_numbers(
    client, board_member, known, on_today, no_network
):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    response = get(client, board_member, f"?plan=national&cycle={cycle.pk}")
    reader = read(response)
    assert response["Content-Disposition"] == 'attachment; filename="board-pack-national-q4-2021-22.pdf"'

    pages = page_texts(reader)
    total = len(pages)
    assert total >= 6  # the headline, then one page per theme
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL") == 2, (number, text)  # top and bottom of every page
        assert f"Page {number} of {total}" in text
        assert "Joint national action plan: board pack, review cycle Q4 2021-22, 30 April 2022" in text
    everything = " ".join(pages)
    assert (
        "Joint national action plan: board meeting 28 April 2022" in everything
    )  # the heading, as the print view has it
    assert "Board pack, review cycle Q4 2021-22" in everything


@renders
def test_the_pdf_holds_what_the_print_view_shows(client, board_member, known, on_today):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    client.force_login(board_member)
    html = client.get(reverse("reviews:board_pack") + f"?cycle={cycle.pk}").content.decode()
    pages = page_texts(read(client.get(pdf_url(f"?cycle={cycle.pk}"))))
    everything = " ".join(pages)

    shown = figures(html)
    for label, name in [
        ("Actions in total", "total"),
        ("Completed", "completed"),
        ("In progress", "in_progress"),
        ("Not started", "not_started"),
        ("Red (open actions)", "red"),
        ("Amber (open actions)", "amber"),
    ]:
        assert f"{label} {shown[f'pack-t-{name}']}" in everything, label
    for reference in re.findall(r'data-attention="([^"]+)"', html):
        assert reference in everything
    assert "Protocol agreed in principle." in everything  # a narrative as it stood at the cycle
    assert "Funding withdrawn" not in everything  # one written after it
    assert "Since review cycle Q3 2021-22" in everything
    assert "Completions awaiting confirmation" in everything
    # Each theme starts a page of its own, as when printed.
    for number, title in [(1, "Supporting victims"), (2, "Casework quality"), (5, "Collaboration")]:
        (page,) = [text for text in pages if f"Theme {number}: {title}" in text]
        assert page.startswith(f"Theme {number}: {title}")
    # Nothing of the screen: no filter form, navigation or link to the PDF itself.
    for screen_only in ("Show the pack", "Download as PDF", "Sign out", "Back to the dashboard"):
        assert screen_only not in everything


@renders
def test_the_pdf_is_drawn_with_the_govuk_styles_from_the_static_files(client, board_member, known, on_today):
    reader = read(get(client, board_member))
    drawing = "".join(page.get_contents().get_data().decode("latin-1") for page in reader.pages)
    assert f"{GOVUK_BLUE} rg" in drawing  # the bars' colours come only from the stylesheet
    assert f"{GOVUK_TEXT} rg" in drawing


@renders
def test_the_pack_for_a_date_is_titled_with_the_date(client, board_member, known, on_today):
    response = get(client, board_member, "?day=31&month=3&year=2022")
    pages = page_texts(read(response))
    assert response["Content-Disposition"] == 'attachment; filename="board-pack-national-2022-03-31.pdf"'
    assert "Joint national action plan: board pack, 31 March 2022" in pages[0]
    assert "Joint national action plan: 31 March 2022" in " ".join(pages)


def test_the_board_pack_page_links_to_its_pdf(client, board_member, known, on_today):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    client.force_login(board_member)
    body = client.get(reverse("reviews:board_pack") + f"?cycle={cycle.pk}").content.decode()
    assert f'<a class="govuk-link" href="{pdf_url()}?plan=national&amp;cycle={cycle.pk}">Download as PDF</a>' in body
    body = client.get(reverse("reviews:board_pack") + "?date=31+March+2022").content.decode()
    assert f'href="{pdf_url()}?plan=national&amp;date=2022-03-31">Download as PDF</a>' in body
    # A query with mistakes shows today's pack, and its link is to today's PDF.
    body = client.get(reverse("reviews:board_pack") + "?date=2099-01-01").content.decode()
    assert f'href="{pdf_url()}?plan=national">Download as PDF</a>' in body


# -- Who may read it, and bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["outsider"])
def test_people_who_may_not_read_the_pack_may_not_download_it(client, known, person, request):
    response = get(client, request.getfixturevalue(person))
    assert response.status_code == 403
    assert b"%PDF" not in response.content


def test_signing_in_comes_first(client, known):
    response = client.get(pdf_url())
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


@renders
@pytest.mark.parametrize("person", ["police_lead", "admin_user"])
def test_leads_and_admins_download_it_as_they_read_the_pack(client, known, on_today, person, request):
    read(get(client, request.getfixturevalue(person)))


@pytest.mark.parametrize(
    "query, message",
    [
        ("?date=2099-01-01", "The date must be today or in the past"),
        ("?date=31/02/2022", "The date must be a real date"),
        ("?day=31&month=2&year=2022", "The date must be a real date"),
        ("?day=3&month=&year=2022", "Enter the day, month and year"),
        ("?cycle=999999", "Select a review cycle of this plan"),
        ("?cycle=abc", "Select a review cycle of this plan"),
    ],
)
def test_a_bad_query_is_answered_with_the_packs_errors(client, board_member, known, on_today, query, message):
    client.force_login(board_member)
    page = client.get(reverse("reviews:board_pack") + query)
    assert page.status_code == 200 and message in page.content.decode()

    response = client.get(pdf_url(query))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert 'class="govuk-error-summary' in body and message in body
    assert "<title>Error: " in body


def test_a_cycle_and_a_date_together_are_refused_as_the_pack_refuses_them(client, board_member, known, on_today):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    response = get(client, board_member, f"?cycle={cycle.pk}&date=2022-03-31")
    assert response.status_code == 400
    assert "Choose a review cycle or a date, not both" in response.content.decode()


def test_a_cycle_of_another_plan_is_refused(client, board_member, known, on_today):
    other = PlanFactory(slug="other")
    cycle = other.review_cycles.create(
        name="Q1 2022-23", opens_on="2022-04-01", updates_due_on="2022-04-20", board_meeting_on="2022-05-01"
    )
    response = get(client, board_member, f"?plan=national&cycle={cycle.pk}")
    assert response.status_code == 400
    assert "Select a review cycle of this plan" in response.content.decode()


@renders
def test_a_plan_the_person_may_not_read_falls_back_to_the_national_plan_as_the_pack_does(
    client, board_member, known, on_today
):
    draft = PlanFactory(slug="draft-plan", title="Draft plan", status=Plan.Status.DRAFT)
    ThemeFactory(plan=draft, number=1)
    pages = page_texts(read(get(client, board_member, "?plan=draft-plan")))
    assert "Joint national action plan: board pack" in pages[0]
    assert "Draft plan" not in " ".join(pages)


def test_without_a_published_plan_there_is_no_pdf(client, board_member):
    response = get(client, board_member)
    assert response.status_code == 404
    assert "No plan has been published yet." in response.content.decode()


def test_without_weasyprint_the_server_says_so_rather_than_failing(client, board_member, known, on_today, monkeypatch):
    def unavailable(**kwargs):
        raise pdf_module.PdfUnavailable("WeasyPrint cannot be loaded: no Pango")

    monkeypatch.setattr("reviews.views.pdf_from_html", unavailable)
    response = get(client, board_member)
    assert response.status_code == 503
    assert "Print the board pack from your browser instead." in response.content.decode()


# -- Fetching: the static files, and nothing else ----------------------------------------------------------------


@renders
def test_the_fetcher_serves_the_static_files_by_their_path():
    fetched = static_files_fetcher().fetch("http://testserver/static/css/print.css")
    assert fetched.content_type == "text/css"
    assert fetched.read() == static_file_bytes("css/print.css")
    assert static_name("https://elsewhere.example/static/css/main.css") == "css/main.css"


@renders
@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/stylesheet.css",
        "http://testserver/actions/1/",
        "file:///etc/passwd",
        "ftp://testserver/static/css/main.css",
        "http://testserver/static/../actionplan/settings/base.py",
        "http://testserver/static/%2e%2e/actionplan/settings/base.py",
        "http://testserver/static//etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_else(url, no_network):
    with pytest.raises(RefusedURL):
        static_files_fetcher().fetch(url)


@renders
def test_a_missing_static_file_is_not_found():
    with pytest.raises(FileNotFoundError):
        static_files_fetcher().fetch("http://testserver/static/css/none.css")


@renders
def test_a_page_naming_another_host_renders_without_it(no_network, caplog):
    html = (
        '<html><head><link rel="stylesheet" href="https://fonts.example.org/font.css"></head>'
        '<body><img src="http://tracker.example/pixel.png" alt=""><p>Board pack</p></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="reviews.pdf"):
        content = pdf_from_html(html=html, base_url="http://testserver/")
    assert "Board pack" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    refused = " ".join(record.getMessage() for record in caplog.records)
    assert "https://fonts.example.org/font.css" in refused
    assert "http://tracker.example/pixel.png" in refused


@renders
def test_a_long_pack_still_numbers_every_page(client, board_member, national_plan, police_lead, on_today):
    theme = national_plan.themes.get(number=1)
    for n in range(60):
        ActionFactory(
            theme=theme, reference=f"1.{n + 1}", title=f"Red action {n + 1}", side="police", police_lead=police_lead,
            rag="red",
        )  # fmt: skip
    pages = page_texts(read(get(client, board_member)))
    assert len(pages) > 6
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "1.60 Red action 60" in " ".join(pages)


def test_collected_static_files_are_read_from_the_storage(tmp_path, settings):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "main.0123abcd.css").write_text("body { color: #0b0c0c; }")
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A hashed name, as ManifestStaticFilesStorage writes it in production: the finders do not know it.
    assert static_file_bytes("css/main.0123abcd.css") == b"body { color: #0b0c0c; }"
    with pytest.raises(RefusedURL):
        static_file_bytes("../secrets.txt")
