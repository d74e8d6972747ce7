"""Sessions: a new key at sign-in, an idle timeout and an absolute lifetime enforced on the server, sign-out ending
the session, and signed-in pages never kept by the browser."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client, username: str = "police.lead"):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "actionplan.security"]


def test_defaults_are_thirty_minutes_idle_and_twelve_hours_in_all(settings):
    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30
    assert settings.SESSION_ABSOLUTE_TIMEOUT_HOURS == 12
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_TIMEOUT_WARNING_SECONDS == 120


def test_signing_in_gives_a_new_session_key(client, police_lead):
    client.get("/accounts/login/")
    session = client.session
    session["something"] = "from before sign-in"
    session.save()
    before = session.session_key
    sign_in(client)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_signing_out_ends_the_session_on_the_server(client, police_lead):
    sign_in(client)
    key = client.session.session_key
    cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie gets nothing.
    client.cookies["sessionid"] = cookie
    assert client.get(reverse("themes:home"))["Location"].startswith("/accounts/login/")


def test_an_idle_session_ends_after_thirty_minutes(client, police_lead, national_plan, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client)
        assert client.get(reverse("themes:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29, seconds=59), tick=False):
        assert client.get(reverse("themes:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=60), tick=False):
        response = client.get(reverse("themes:home"))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you did nothing for 30 minutes" in page
    assert "_auth_user_id" not in client.session
    assert {"event": "sign_out", "ip": "127.0.0.1", "reason": "idle", "user": "police.lead"} in events(caplog)


def test_activity_keeps_a_session_alive_until_twelve_hours(client, police_lead, national_plan, caplog):
    caplog.set_level(logging.INFO, logger="actionplan.security")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client)
    minutes = 20
    while minutes < 12 * 60:
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("themes:home")).status_code == 200, minutes
        minutes += 20
    with time_machine.travel(start + timedelta(hours=12), tick=False):
        response = client.get(reverse("themes:home"))
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you signed in more than 12 hours ago" in page
    assert "absolute" in [e.get("reason") for e in events(caplog)]


def test_a_session_waiting_for_its_code_times_out_too(client, admin_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "admin")
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get("/accounts/login/code/")
        assert response["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session


def test_asking_how_long_is_left_does_not_count_as_activity(client, police_lead):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client)
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get("/accounts/session/").json() == {"signed_in": True, "seconds_left": 5 * 60}
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get("/accounts/session/").json() == {"signed_in": False, "seconds_left": 0}


def test_stay_signed_in_counts_as_activity(client, police_lead, national_plan):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client)
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        response = client.post("/accounts/session/extend/", HTTP_ACCEPT="application/json")
        assert response.json() == {"signed_in": True, "seconds_left": 30 * 60}
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get(reverse("themes:home")).status_code == 200


def test_stay_signed_in_without_a_sign_in_or_by_get_is_refused(client, police_lead):
    assert client.post("/accounts/session/extend/")["Location"].startswith("/accounts/login/")
    client.force_login(police_lead)
    assert client.get("/accounts/session/extend/").status_code == 405
    assert client.post("/accounts/session/extend/", {"next": "https://evil.example/"})["Location"] == reverse("landing")


def test_the_signed_out_page_says_why_and_offers_to_sign_in_again(client):
    page = client.get("/accounts/session/ended/?next=/reviews/dashboard/").content.decode()
    assert "You have been signed out" in page
    assert "you did nothing for 30 minutes" in page
    assert 'href="/accounts/login/?next=%2Freviews%2Fdashboard%2F"' in page
    hostile = client.get("/accounts/session/ended/?next=https://evil.example/").content.decode()
    assert "evil.example" not in hostile


def test_the_signed_out_page_sends_someone_still_signed_in_back(client, police_lead):
    client.force_login(police_lead)
    assert client.get("/accounts/session/ended/?next=/reviews/dashboard/")["Location"] == "/reviews/dashboard/"


def test_pages_carry_the_timeout_warning_for_the_script(client, police_lead, national_plan):
    client.force_login(police_lead)
    page = client.get(reverse("themes:home")).content.decode()
    assert 'data-module="app-timeout-warning"' in page
    assert 1790 <= int(re.search(r'data-seconds-left="(\d+)"', page).group(1)) <= 1800
    assert 'data-warning-seconds="120"' in page
    assert "You’re about to be signed out" in page
    client.post("/accounts/logout/")
    assert "app-timeout-warning" not in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize("name", ["themes:home", "actions:mine", "reviews:dashboard", "account", "notifications:list"])
def test_signed_in_pages_are_never_stored(client, police_lead, national_plan, name):
    client.force_login(police_lead)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_admin_and_exports_are_never_stored(client, admin_user, national_plan):
    client.force_login(admin_user)
    assert "no-store" in client.get("/admin/")["Cache-Control"]
    export = client.get(reverse("reviews:export", kwargs={"fmt": "csv"}))
    assert export.status_code == 200
    assert "no-store" in export["Cache-Control"]


def test_signing_out_is_not_cached_either(client, police_lead):
    client.force_login(police_lead)
    assert "no-store" in client.post("/accounts/logout/")["Cache-Control"]
