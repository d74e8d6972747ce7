"""Sign-in is required everywhere except the health check, the sign-in page and the public progress pages; the admin
is for admins only."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Open without signing in: signing in itself, resetting a password, single sign-on (404 unless it is set up),
# what the timeout warning asks, the health check, and the accessibility statement and privacy notice.
PUBLIC = {
    "/healthz",
    "/accessibility/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/x/x/",
    "/accounts/password/reset/complete/",
    "/accounts/sso/start/",
    "/accounts/sso/callback/",
    "/accounts/session/",
    "/accounts/session/ended/",
    # The public progress page of a plan: there when an admin switched it on, a 404 otherwise.
    "/public/national/",
}
# Addresses for programs rather than people: the API answers 401 in JSON (tests/api/test_read.py), and a calendar
# feed's secret address is its own credential (tests/notifications/test_calendar_feed.py).
FOR_PROGRAMS = {"/api/v1/": 401, "/api/schema/": 401, "/notifications/calendar/x.ics": 404}
SAMPLE_KWARGS = {
    "int": "1",
    "slug": "national",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _urls(patterns, prefix=""):
    """Every URL of the project, with sample values for its parameters."""
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue  # the admin guards itself; tested below
            yield from _urls(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            full = prefix + route
            if "^" in full or "(?P" in full:
                continue
            for converter, value in SAMPLE_KWARGS.items():
                while f"<{converter}:" in full:
                    start = full.index(f"<{converter}:")
                    full = full[:start] + value + full[full.index(">", start) + 1 :]
            full = re.sub(r"<\w+>", "x", full)  # parameters without a converter are strings
            yield "/" + full


def project_urls() -> list[str]:
    return sorted(set(_urls(get_resolver().url_patterns)))


def test_the_project_has_pages_to_guard():
    assert len(project_urls()) >= 5


@pytest.mark.parametrize("url", [url for url in project_urls() if url not in PUBLIC | set(FOR_PROGRAMS)])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize(("url", "status"), FOR_PROGRAMS.items())
def test_addresses_for_programs_refuse_an_anonymous_visitor_without_a_redirect(client, url, status):
    assert url in project_urls()
    assert client.get(url).status_code == status


def test_sign_in_page_health_check_statement_and_notice_are_public(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/accessibility/").status_code == 200
    assert client.get("/privacy/").status_code == 200


@pytest.mark.parametrize("url", sorted(PUBLIC))
def test_public_pages_answer_an_anonymous_visitor_without_an_error(client, url):
    # Single sign-on is not set up here, and no plan has switched its public progress page on.
    expected = 404 if url.startswith(("/accounts/sso/", "/public/")) else 200
    assert client.get(url).status_code == expected, url


def test_every_public_page_is_one_the_project_has():
    assert PUBLIC <= set(project_urls())


def test_a_public_progress_page_switched_off_is_not_there_rather_than_behind_sign_in(client, national_plan):
    response = client.get("/public/national/")
    assert response.status_code == 404 and "/accounts/login/" not in response.get("Location", "")


def test_signing_in_lands_a_person_on_their_page(client, police_lead, national_plan):
    response = client.post("/accounts/login/", {"username": "police.lead", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("landing")
    assert client.get(reverse("landing")).status_code == 302


def test_wrong_password_is_refused_with_a_message(client, police_lead):
    response = client.post("/accounts/login/", {"username": "police.lead", "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session(client, police_lead):
    client.force_login(police_lead)
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    assert client.get(reverse("themes:home")).status_code == 302


def test_admin_reaches_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/actions/action/").status_code == 200


@pytest.mark.parametrize("person", ["police_lead", "cps_lead", "board_member", "outsider"])
def test_nobody_but_admins_reaches_the_admin(client, request, person):
    client.force_login(request.getfixturevalue(person))
    for url in ("/admin/", "/admin/actions/action/", "/admin/login/", "/admin/actionplan/user/1/change/"):
        response = client.get(url)
        assert response.status_code == 403, url
        body = response.content.decode()
        assert "The admin is for plan admins" in body
        assert "govuk-header" in body
        assert "Django administration" not in body


def test_signed_out_visitor_of_the_admin_is_sent_to_the_service_sign_in_page(client):
    response = client.get("/admin/actions/action/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/actions/action/"
    assert "Django administration" not in response.content.decode()


def test_admin_lists_actions_with_their_columns_and_filters(client, admin_user, police_action):
    client.force_login(admin_user)
    response = client.get("/admin/actions/action/", {"overdue": "yes"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Police-only action" in body  # target 31 March 2022 has passed
    response = client.get("/admin/actions/action/", {"overdue": "no"})
    assert "Police-only action" not in response.content.decode()


def test_admin_edit_records_history(client, admin_user, police_action):
    client.force_login(admin_user)
    url = f"/admin/actions/action/{police_action.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "plan": police_action.plan_id,
            "theme": police_action.theme_id,
            "title": "Police-only action, reworded",
            "lead_organisations": [org.pk for org in police_action.lead_organisations.all()],
            "police_lead": police_action.police_lead_id,
            "start_date": "2021-04-01",
            "target_date": "2022-03-31",
        }
    )
    data.pop("cps_lead", None)
    data.pop("mirrors", None)
    data.pop("superseded_by", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    police_action.refresh_from_db()
    assert police_action.title == "Police-only action, reworded"
    latest = police_action.history.first()
    assert latest.history_user == admin_user
    assert client.get(f"/admin/actions/action/{police_action.pk}/history/").status_code == 200


def test_admin_form_rejects_a_lead_from_the_wrong_side(client, admin_user, police_action, cps_lead):
    client.force_login(admin_user)
    url = f"/admin/actions/action/{police_action.pk}/change/"
    response = client.post(
        url,
        {
            "plan": police_action.plan_id,
            "theme": police_action.theme_id,
            "reference": "1.1",
            "title": "Police-only action",
            "side": "joint",
            "police_lead": cps_lead.pk,
            "start_date": "2021-04-01",
            "target_date": "2022-03-31",
        },
    )
    assert response.status_code == 200
    assert (
        "Choose a police lead from the list: a person with the lead role in a police organisation"
        in response.content.decode()
    )


def test_pages_forbid_inline_scripts_and_styles(client, board_member, national_plan):
    client.force_login(board_member)
    policy = client.get(reverse("themes:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
