"""Recording a status update through the API: the form's rules and permissions (the same service), and no lost
update (the version read, in the body or as If-Match)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from actions.models import Action, Status, StatusUpdate
from tests.api.conftest import token_client
from tests.factories import CpsLeadFactory, PlanFactory, PoliceLeadFactory, ThemeFactory
from themes.models import Plan

pytestmark = pytest.mark.django_db

UPDATE = {"status": "in_progress", "rag": "amber", "narrative": "Pilot running in two forces.", "version": 1}


def post(client, action, data: dict | None = None, **headers):
    return client.post(f"/api/v1/actions/{action.pk}/status-updates/", data or UPDATE, format="json", **headers)


@pytest.fixture
def same_force_lead(police_force):
    return PoliceLeadFactory(username="other.police.lead", organisation=police_force)


@pytest.fixture
def cps_lead_elsewhere(db):
    return CpsLeadFactory(username="elsewhere.cps.lead")


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("admin_user", True),
        ("police_lead", True),  # the named police lead
        ("same_force_lead", True),  # a lead of the owning organisation, on the action's side
        ("cps_lead", False),  # a CPS lead: the action is the police's
        ("cps_lead_elsewhere", False),
        ("board_member", False),
        ("outsider", False),
    ],
)
def test_who_may_update_is_who_may_on_the_form(request, person, allowed, police_action):
    response = post(token_client(request.getfixturevalue(person)), police_action)
    police_action.refresh_from_db()
    if allowed:
        assert response.status_code == 201, response.content
        assert (police_action.version, police_action.rag) == (2, "amber")
        body = response.json()
        assert body["version"] == 2
        assert body["narrative"] == "Pilot running in two forces."
        assert response["ETag"] == f'"action-{police_action.pk}-v2"'
        assert response["Location"] == f"/api/v1/status-updates/{body['id']}/"
    else:
        assert response.status_code == 403
        assert response.json() == {"detail": "You cannot update this action."}
        assert (police_action.version, StatusUpdate.objects.count()) == (1, 0)


def test_a_lead_is_told_a_closed_action_can_only_be_reopened_by_an_admin(police_lead, admin_user, police_action):
    Action.objects.filter(pk=police_action.pk).update(status=Status.CLOSED, closure_reason="withdrawn")
    response = post(token_client(police_lead), police_action)
    assert response.status_code == 403
    assert "only an admin can reopen it" in response.json()["detail"]
    reopened = post(token_client(admin_user), police_action, {**UPDATE, "narrative": "Reopened: still needed."})
    assert reopened.status_code == 201
    assert Action.objects.get(pk=police_action.pk).status == Status.IN_PROGRESS


def test_nobody_updates_an_action_of_a_plan_not_in_force(admin_user):
    archived = PlanFactory(slug="archived", status=Plan.Status.ARCHIVED)
    action = Action.objects.create(
        plan=archived,
        theme=ThemeFactory(plan=archived, number=1),
        reference="1.1",
        title="Done with",
        side="joint",
        target_date=date(2022, 3, 31),
    )
    assert post(token_client(admin_user), action).status_code == 403


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"rag": "red", "narrative": ""}, "narrative", "Explain why the delivery confidence has worsened"),
        ({"status": "completed", "rag": "green", "narrative": ""}, "narrative", "Explain how the action was completed"),
        ({"status": "closed"}, "closure_reason", "Select why the action is closed"),
        ({"status": "finished"}, "status", '"finished" is not a valid choice.'),
        ({"rag": ""}, "rag", "Select the delivery confidence"),
        ({"narrative": "<script>alert(1)</script>"}, "narrative", "must not contain HTML"),
        ({"narrative": "x" * 5001}, "narrative", "5,000 characters or fewer"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "web address, for example https://"),
        ({"revised_target_date": "2023-03-31"}, "revision_reason", "Give the reason the target date is revised"),
        ({"revised_target_date": "Quarter one"}, "revised_target_date", "a quarter such as"),
        ({"revised_target_date": "2020-01-01", "revision_reason": "Early"}, "revised_target_date", "today or later"),
        ({"effective_date": "2021-12-15"}, "effective_date", "Only an admin records an update as of an earlier day"),
        ({"version": "one"}, "version", "A valid integer is required."),
        ({"version": 0}, "version", "greater than or equal to 1"),
    ],
)
def test_the_forms_rules_refuse_the_update_with_a_message_by_field(police_lead, police_action, change, field, message):
    response = post(token_client(police_lead), police_action, {**UPDATE, **change})
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"], body
    assert any(message in text for text in body["errors"][field]), body
    assert StatusUpdate.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'"text"', b"null", b'{"status": ["in_progress"], "rag": {"a": 1}}'],
)
def test_a_body_that_is_not_an_update_is_a_400(police_lead, police_action, body):
    client = token_client(police_lead)
    response = client.post(f"/api/v1/actions/{police_action.pk}/status-updates/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_body_of_another_type_is_a_415(police_lead, police_action):
    client = token_client(police_lead)
    response = client.post(f"/api/v1/actions/{police_action.pk}/status-updates/", b"<x/>", content_type="text/xml")
    assert response.status_code == 415
    assert "text/xml" in response.json()["detail"]


def test_a_revised_date_may_be_a_quarter_and_is_shown_as_written(police_lead, police_action):
    # A revised target date is never in the past.
    year = timezone.localdate().year + 2
    response = post(
        token_client(police_lead),
        police_action,
        {
            **UPDATE,
            "revised_target_date": f"Q1 {year}",
            "revision_reason": "Supplier delay.",
            "narrative": "Delayed by the supplier until the spring.",
        },
    )
    assert response.status_code == 201, response.content
    action = token_client(police_lead).get(f"/api/v1/actions/{police_action.pk}/").json()
    assert (action["revised_target_date"], action["revised_target_date_text"]) == (f"{year}-03-31", f"Q1 {year}")
    assert action["current_target_date_text"] == f"Q1 {year}"


def test_a_completed_action_may_be_recorded_without_a_delivery_confidence(admin_user, police_action):
    response = post(
        token_client(admin_user),
        police_action,
        {"status": "completed", "rag": "", "narrative": "Delivered and signed off by the board.", "version": 1},
    )
    assert response.status_code == 201
    police_action.refresh_from_db()
    assert (police_action.status, police_action.rag) == (Status.COMPLETED, "")


def test_an_admin_cannot_bring_in_history_dated_in_the_future(admin_user, police_action):
    response = post(token_client(admin_user), police_action, {**UPDATE, "effective_date": "2999-01-01"})
    assert response.status_code == 400, response.content
    assert any("today or in the past" in text for text in response.json()["errors"]["effective_date"])
    assert StatusUpdate.objects.count() == 0


def test_history_is_brought_in_with_the_day_it_happened(admin_user, police_action):
    Action.objects.filter(pk=police_action.pk).update(created_at="2021-04-01T00:00:00Z")
    response = post(
        token_client(admin_user),
        police_action,
        {
            "status": "completed",
            "rag": "green",
            "narrative": "Delivered and signed off by the board.",
            "version": 1,
            "effective_date": "2021-12-15",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["effective_at"].startswith("2021-12-15")
    assert Action.objects.get(pk=police_action.pk).completed_on == date(2021, 12, 15)


# -- Lost updates --------------------------------------------------------------------------------------------------


def test_a_stale_version_is_a_409_that_changes_nothing_and_shows_what_was_missed(
    police_lead, same_force_lead, police_action
):
    first = post(token_client(police_lead), police_action)
    assert first.status_code == 201
    stale = post(
        token_client(same_force_lead),
        police_action,
        {**UPDATE, "rag": "green", "narrative": "Fine again: back on track."},
    )
    assert stale.status_code == 409
    body = stale.json()
    assert "Someone else updated this action" in body["detail"]
    assert (body["current_version"], body["etag"]) == (2, f'"action-{police_action.pk}-v2"')
    assert [u["narrative"] for u in body["updates_since"]] == ["Pilot running in two forces."]
    police_action.refresh_from_db()
    assert (police_action.version, police_action.rag, StatusUpdate.objects.count()) == (2, "amber", 1)


def test_if_match_with_the_etag_read_protects_the_update(police_lead, same_force_lead, police_action):
    reader = token_client(police_lead)
    etag = reader.get(f"/api/v1/actions/{police_action.pk}/")["ETag"]
    data = {k: v for k, v in UPDATE.items() if k != "version"}
    assert post(token_client(same_force_lead), police_action, data, HTTP_IF_MATCH=etag).status_code == 201
    late = post(
        reader,
        police_action,
        {**data, "rag": "red", "narrative": "Red now: the trainers have left."},
        HTTP_IF_MATCH=etag,
    )
    assert late.status_code == 412
    assert late["ETag"] == f'"action-{police_action.pk}-v2"'
    assert late.json()["current_version"] == 2
    assert Action.objects.get(pk=police_action.pk).rag == "amber"
    again = post(
        reader,
        police_action,
        {**data, "rag": "red", "narrative": "Red now: the trainers have left."},
        HTTP_IF_MATCH=late["ETag"],
    )
    assert again.status_code == 201
    assert Action.objects.get(pk=police_action.pk).rag == "red"


@pytest.mark.parametrize("header", ['"action-1-v1x"', "*", '"something-else"', "W/"])
def test_an_if_match_that_names_no_version_of_the_action_is_a_412(police_lead, police_action, header):
    data = {k: v for k, v in UPDATE.items() if k != "version"}
    response = post(token_client(police_lead), police_action, data, HTTP_IF_MATCH=header)
    assert response.status_code == 412
    assert "If-Match" in response.json()["detail"]
    assert StatusUpdate.objects.count() == 0


def test_an_update_without_the_version_read_is_a_428(police_lead, police_action):
    data = {k: v for k, v in UPDATE.items() if k != "version"}
    response = post(token_client(police_lead), police_action, data)
    assert response.status_code == 428
    assert "Send the version of the action you read" in response.json()["detail"]


def test_a_version_and_an_if_match_that_disagree_are_refused(police_lead, police_action):
    response = post(
        token_client(police_lead),
        police_action,
        {**UPDATE, "version": 3},
        HTTP_IF_MATCH=f'"action-{police_action.pk}-v1"',
    )
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


# -- Session authentication --------------------------------------------------------------------------------------


def test_the_browser_session_needs_the_csrf_token_to_write(police_lead, police_action):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(police_lead)
    refused = post(browser, police_action)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    browser.get("/api-tokens/")  # any page sets the CSRF cookie
    accepted = post(browser, police_action, HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    assert accepted.status_code == 201


def test_status_updates_of_an_action_are_listed_latest_first(police_lead, police_action):
    client = token_client(police_lead)
    post(client, police_action)
    post(client, police_action, {**UPDATE, "narrative": "Second update: the pilot has widened.", "version": 2})
    listed = client.get(f"/api/v1/actions/{police_action.pk}/status-updates/").json()
    assert [u["narrative"] for u in listed["results"]] == [
        "Second update: the pilot has widened.",
        "Pilot running in two forces.",
    ]
    one = client.get(f"/api/v1/status-updates/{listed['results'][0]['id']}/").json()
    assert (one["version"], one["author"]["username"]) == (3, "police.lead")


def test_a_form_that_cannot_be_read_is_refused_in_json(police_lead, police_action):
    client = token_client(police_lead)
    url = f"/api/v1/actions/{police_action.pk}/status-updates/"
    response = client.generic("POST", url, b"status=in_progress", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "could not be read" in response.json()["detail"]
    assert StatusUpdate.objects.count() == 0
