"""The admin's home speaks to plan admins; anyone else signed in gets the service's own 403 page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_home_says_what_to_do_and_calls_the_change_log_your_recent_changes(client, admin_user, police_action):
    client.force_login(admin_user)
    change = reverse("admin:themes_theme_change", args=[police_action.theme_id])
    page = client.get(change)
    form = page.context["adminform"].form
    client.post(change, {name: form[name].value() or "" for name in form.fields} | {"title": "Victims first"})

    body = client.get("/admin/").content.decode()

    assert "<h2>What to do here</h2>" in body
    assert "Add an action to this plan" in body
    assert "<h2>Your recent changes</h2>" in body
    assert "1. Victims first" in body
    assert "Recent actions" not in body
    assert "My actions" not in body


def test_admin_home_with_no_changes_yet_says_so(client, admin_user):
    client.force_login(admin_user)

    body = client.get("/admin/").content.decode()

    assert "You have not changed anything in the admin yet." in body


@pytest.mark.parametrize(
    "person, says, link",
    [
        ("police_lead", "You are signed in as Paula Police, a lead, so you cannot use it.", "/actions/mine/"),
        (
            "board_member",
            "You are signed in as Bea Board, a board member, so you cannot use it.",
            "/reviews/dashboard/",
        ),
        ("outsider", "You are signed in as Oscar Outside, without a role, so you cannot use it.", "/"),
    ],
)
def test_a_lead_or_board_member_opening_the_admin_is_told_it_is_for_plan_admins(client, request, person, says, link):
    client.force_login(request.getfixturevalue(person))

    response = client.get("/admin/")

    assert response.status_code == 403
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">The admin is for plan admins</h1>' in body
    assert says in body
    assert f'href="{link}"' in body
    assert "ask a plan admin" in body


def test_a_signed_in_admin_sent_to_the_admin_sign_in_page_goes_on_to_the_admin(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/admin/login/", {"next": "/admin/themes/plan/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/themes/plan/"
    assert client.get("/admin/login/", {"next": "https://elsewhere.example/"})["Location"] == "/admin/"
