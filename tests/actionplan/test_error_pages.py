"""Errors are shown as GOV.UK pages in the service's layout, never as a bare server page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_govuk_404(client, board_member):
    client.force_login(board_member)
    response = client.get("/actions/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "govuk-header" in body


def test_forbidden_page_explains_the_role(client, outsider, national_plan):
    client.force_login(outsider)
    response = client.get("/reviews/dashboard/")
    assert response.status_code == 403
    assert "Your role does not allow you" in response.content.decode()


def test_form_without_csrf_token_is_refused_with_a_plain_message(police_lead, national_plan):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "police.lead", "password": "correct-horse-battery"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "Sorry, there is a problem with the service" in html


def test_error_summary_links_each_message_to_its_field(client, police_lead):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body
    assert '<a href="#id_username">Enter your username</a>' in body
    assert '<a href="#id_password">Enter your password</a>' in body
    response = client.post("/accounts/login/", {"username": "police.lead", "password": "wrong"})
    assert '<a href="#id_username">Enter a correct username and password.' in response.content.decode()
