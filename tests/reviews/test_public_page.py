"""The public progress page: off by default and a 404 when off, no sign-in, nothing private on it (no narrative, no
name, no delivery confidence or date unless ticked), no way into the service, cached, and summaries naming no one."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Status
from reviews.models import PublicPage, PublicSummary
from reviews.public_pages import (
    names_of_people_in,
    public_page_save,
    public_summary_approve,
    public_summary_withdraw,
)
from tests.factories import ActionFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db
URL = "/public/national/"


@pytest.fixture
def plan(national_plan, police_action, joint_action, police_lead, cps_lead):
    """1.1 completed with a narrative and a public summary, 2.1 in progress and red with a narrative."""
    police_action.status, police_action.completed_on = Status.COMPLETED, date(2022, 6, 15)
    police_action.save()
    joint_action.rag = "red"
    joint_action.save()
    StatusUpdateFactory(action=police_action, author=police_lead, narrative="Internal: Paula chased the supplier.")
    StatusUpdateFactory(action=joint_action, author=cps_lead, narrative="Internal: budget row with the Area.")
    ActionFactory(theme=national_plan.themes.get(number=3), reference="3.1", status=Status.NOT_STARTED)
    return national_plan


def switch(plan, admin_user, *, enabled=True, **options):
    values = {"show_names": False, "show_rag": False, "show_dates": False, "introduction": ""}
    values.update(options)
    return public_page_save(plan=plan, by=admin_user, enabled=enabled, **values)


def test_off_by_default_and_a_404_without_signing_in(client, plan, admin_user):
    response = client.get(URL)
    assert response.status_code == 404
    assert "There is no published progress page at this address" in response.content.decode()
    switch(plan, admin_user)
    assert client.get(URL).status_code == 200
    switch(plan, admin_user, enabled=False)
    assert client.get(URL).status_code == 404  # at once, whatever the cache holds
    assert client.get("/public/no-such-plan/").status_code == 404


def test_shows_counts_and_approved_summaries_and_nothing_private(client, plan, admin_user, police_action):
    public_summary_approve(action=police_action, by=admin_user, text="Guidance published for every force.")
    switch(plan, admin_user, introduction="How the plan is going.")
    body = client.get(URL).content.decode()
    assert "How the plan is going." in body
    assert 'data-public="completed">1</span> of 3 actions completed' in body
    assert 'data-public="theme-1-completed">1<' in body and 'data-public="theme-2-in_progress">1<' in body
    action = body.split('data-public-action="1.1"')[1].split("</div>")[0]
    assert "Guidance published for every force." in action
    for private in ("Internal:", "Paula", "Carl Crown", "Red", "red)", "June 2022", "15 June"):
        assert private not in body, private
    assert "govuk-tag" not in body


def test_names_confidence_and_dates_only_when_ticked(client, plan, admin_user, police_action):
    switch(plan, admin_user, show_names=True, show_rag=True, show_dates=True)
    body = client.get(URL).content.decode()
    assert "Led by Paula Police" in body
    assert "Completed June 2022" in body
    assert 'data-public="theme-2-red">1<' in body and "Off track (red)" in body


def test_nothing_of_the_service_is_reachable(client, plan, admin_user):
    switch(plan, admin_user, show_names=True, show_rag=True, show_dates=True)
    response = client.get(URL)
    body = response.content.decode()
    # Only the accessibility statement and the privacy notice, which every public page must link to.
    statements = [reverse("accessibility"), reverse("privacy")]
    for href in re.findall(r'\s(?:href|src|action)="([^"]+)"', body):
        assert href.startswith(("#", "/static/")) or href in statements, href
    assert all(f'href="{statement}"' in body for statement in statements)
    for statement in statements:
        read = client.get(statement)
        assert read.status_code == 200 and "Sign out" not in read.content.decode() and not read.cookies
    assert "public progress pages" in client.get(statements[0]).content.decode()
    assert "<form" not in body
    # Nothing is set on the visitor: no cookie, no session.
    assert not response.cookies
    # A copy may be kept but is checked each time, so a page switched off is gone at once.
    assert response["Cache-Control"] == "public, no-cache"
    again = client.get(URL, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and not again.content
    switch(plan, admin_user, enabled=False)
    gone = client.get(URL, headers={"If-None-Match": response["ETag"]})
    assert gone.status_code == 404 and gone["Cache-Control"] == "no-store"


def test_the_page_is_cached_and_a_change_shows_at_once(client, plan, admin_user, police_action):
    switch(plan, admin_user)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    assert len(captured) == 2  # the page's switch and the data version; the body comes from the cache
    public_summary_approve(action=police_action, by=admin_user, text="A new summary.")
    assert "A new summary." in client.get(URL).content.decode()


# -- Summaries and settings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Paula Police wrote the guidance.", "Thanks to police, paula for the work.", "Led by PC Police.", "PAULA  POLICE"],
)
def test_a_summary_naming_a_person_of_the_service_is_refused(plan, admin_user, police_action, text):
    with pytest.raises(ValidationError) as caught:
        public_summary_approve(action=police_action, by=admin_user, text=text)
    assert caught.value.message_dict == {
        "text": [
            "The public summary names Paula Police, who uses this service: the public page names no one, "
            "so take the name out"
        ]
    }
    assert not PublicSummary.objects.exists()


def test_names_are_whole_words(plan, police_lead):
    assert names_of_people_in("Police forces published the guidance.") == []
    assert names_of_people_in("Paula Policeman") == []


def test_an_introduction_naming_a_person_is_refused(plan, admin_user):
    with pytest.raises(ValidationError) as caught:
        switch(plan, admin_user, introduction="Our thanks to Carl Crown and Ada Admin.")
    assert caught.value.message_dict["introduction"] == [
        "The introduction names Ada Admin, Carl Crown, who use this service: the public page names no one, "
        "so take the name out"
    ]
    assert not PublicPage.objects.exists()


def test_only_a_completed_action_has_a_summary(plan, admin_user, joint_action):
    with pytest.raises(
        ValidationError, match="Action 2.1 is in progress: only a completed action has a public summary"
    ):
        public_summary_approve(action=joint_action, by=admin_user, text="Done.")


def test_only_an_admin_manages_the_page(plan, board_member, police_lead, police_action):
    for person in (board_member, police_lead):
        with pytest.raises(PermissionDenied):
            switch(plan, person)
        with pytest.raises(PermissionDenied):
            public_summary_approve(action=police_action, by=person, text="Done.")
    assert not PublicPage.objects.exists() and not PublicSummary.objects.exists()


def test_a_draft_plans_page_cannot_be_switched_on(plan, admin_user):
    plan.status = "draft"
    plan.save()
    with pytest.raises(ValidationError) as caught:
        switch(plan, admin_user)
    assert caught.value.message_dict["enabled"] == ["The plan is draft: only a published plan's page is public"]


def test_withdrawing_a_summary_takes_it_off(client, plan, admin_user, police_action):
    public_summary_approve(action=police_action, by=admin_user, text="Guidance published.")
    switch(plan, admin_user)
    public_summary_withdraw(action=police_action, by=admin_user)
    assert "Guidance published." not in client.get(URL).content.decode()
    with pytest.raises(ValidationError, match="has no public summary to withdraw"):
        public_summary_withdraw(action=police_action, by=admin_user)


# -- The admin's pages --------------------------------------------------------------------------------------------


def test_admin_switches_the_page_on_and_approves_a_summary_through_the_pages(client, plan, admin_user, police_action):
    client.force_login(admin_user)
    settings_url = reverse("reviews:public_page", kwargs={"slug": "national"})
    page = client.get(settings_url).content.decode()
    assert 'data-summary-of="1.1"' in page and "None yet" in page
    assert client.post(settings_url, {"enabled": "on", "show_rag": "on"}).status_code == 302
    assert PublicPage.objects.get().show_rag and PublicPage.objects.get().enabled
    summary_url = reverse("reviews:public_summary", kwargs={"slug": "national", "action_pk": police_action.pk})
    response = client.post(summary_url, {"text": "Ada Admin delivered it."})
    assert response.status_code == 400
    assert '<a href="#id_text">The public summary names Ada Admin' in response.content.decode()
    assert client.post(summary_url, {"text": "Delivered in every force."}).status_code == 302
    plan_page = client.get(reverse("themes:plan", kwargs={"slug": "national"})).content.decode()
    assert 'href="/public/national/"' in plan_page and "Manage the public page" in plan_page
    other = reverse("reviews:public_summary", kwargs={"slug": "national", "action_pk": 99999})
    assert client.get(other).status_code == 404


def test_others_cannot_reach_the_admins_pages(client, plan, board_member, police_lead):
    for person in (board_member, police_lead):
        client.force_login(person)
        assert client.get(reverse("reviews:public_page", kwargs={"slug": "national"})).status_code == 403
