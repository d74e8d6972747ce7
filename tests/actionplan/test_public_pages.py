"""The accessibility statement and the privacy notice: linked from every page's footer, readable signed out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path, heading",
    [("/accessibility/", "Accessibility statement for the RASSO joint action plan"), ("/privacy/", "Privacy notice")],
)
def test_pages_are_readable_without_signing_in(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    assert 'href="/accessibility/">Accessibility statement</a>' in body
    assert 'href="/privacy/">Privacy notice</a>' in body


def test_every_page_links_to_both_from_its_footer(client, board_member, national_plan):
    client.force_login(board_member)
    footer = client.get("/").content.decode().split('<footer class="govuk-footer')[1]
    assert 'href="/accessibility/"' in footer and 'href="/privacy/"' in footer
    sign_in = client.get("/accounts/login/")
    assert sign_in.status_code == 302  # signed in already; signed out it shows the same footer:
    client.logout()
    footer = client.get("/accounts/login/").content.decode().split('<footer class="govuk-footer')[1]
    assert 'href="/accessibility/"' in footer and 'href="/privacy/"' in footer


def test_statement_follows_the_model_statement(client):
    body = client.get("/accessibility/").content.decode()
    for heading in [
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Technical information about this service’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]:
        assert heading in body, heading
    assert "Web Content Accessibility Guidelines version 2.2</a> AA standard" in body
    assert "axe-core checks every type of page" in body
    assert "using only the keyboard" in body
    assert "Equality Advisory and Support Service" in body


def test_privacy_notice_names_the_data_basis_retention_and_rights(client):
    body = client.get("/privacy/").content.decode()
    for words in [
        "Your name, username, work email address and job title",
        "your role (lead, board member, admin or none)",
        "Sign-in logs",
        "Article 6(1)(e)",
        "How long we keep it",
        "ask for a copy of the personal data we hold about you",
        "Information Commissioner’s Office",
    ]:
        assert words in body, words


def test_contact_is_the_support_email_when_set(client, settings):
    assert "ask an admin of your plan" in client.get("/privacy/").content.decode()
    settings.SUPPORT_EMAIL = "rasso-support@cps.example"
    body = client.get("/accessibility/").content.decode()
    assert 'href="mailto:rasso-support@cps.example"' in body


@pytest.mark.parametrize(
    "url",
    [
        "/reviews/dashboard/?plan=%00",
        "/reviews/dashboard/actions.csv?plan=%00",
        "/reviews/dashboard/actions.xlsx?theme=1%00",
        "/reviews/board-pack/?plan=national&cycle=%00",
        "/reviews/dashboard/?rag=red&rag=%1B",
        "/actions/mine/?x%00=1",
    ],
)
def test_a_nul_or_control_character_in_the_address_is_a_400_page_not_a_500(client, board_member, national_plan, url):
    client.force_login(board_member)
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem with the request" in body
    assert "contains a character that cannot be used" in body
    assert "govuk-header" in body
