"""Reading through the API: who reads what (as the pages), the dashboard's filters, pages, and errors as JSON."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from actions.models import Action, Rag, Side, Status
from actions.services import action_update_status
from tests.api.conftest import token_client
from tests.factories import ActionFactory, PlanFactory, ReviewCycleFactory, ThemeFactory
from themes.models import Plan

pytestmark = pytest.mark.django_db

PEOPLE = ["admin_user", "police_lead", "cps_lead", "board_member", "outsider"]


@pytest.fixture
def draft_plan(db):
    plan = PlanFactory(title="Draft refresh", slug="draft-refresh", status=Plan.Status.DRAFT)
    theme = ThemeFactory(plan=plan, number=1, title="Supporting victims")
    ActionFactory(theme=theme, reference="1.1", title="Draft action")
    ReviewCycleFactory(plan=plan, name="Draft cycle")
    return plan


@pytest.fixture
def cycle(national_plan):
    return ReviewCycleFactory(plan=national_plan, name="Q1 2022-23")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("person", PEOPLE)
def test_everyone_signed_in_reads_published_plans_and_only_admins_read_drafts(
    request, person, police_action, draft_plan
):
    user = request.getfixturevalue(person)
    client = token_client(user)
    slugs = [plan["slug"] for plan in results(client.get("/api/v1/plans/"))]
    references = {(a["plan"], a["reference"]) for a in results(client.get("/api/v1/actions/"))}
    draft = client.get(f"/api/v1/plans/{draft_plan.slug}/")
    draft_action = Action.objects.get(plan=draft_plan)
    if person == "admin_user":
        assert slugs == ["draft-refresh", "national"]
        assert ("draft-refresh", "1.1") in references
        assert draft.status_code == 200
        assert client.get(f"/api/v1/actions/{draft_action.pk}/").status_code == 200
    else:
        assert slugs == ["national"]
        assert references == {("national", "1.1")}
        assert draft.status_code == 404
        assert draft.json() == {"detail": "Not found: there is nothing at this address that you may read."}
        assert client.get(f"/api/v1/actions/{draft_action.pk}/").status_code == 404
        assert client.get("/api/v1/actions/?plan=draft-refresh").status_code == 400


@pytest.mark.parametrize(("person", "allowed"), [(p, p != "outsider") for p in PEOPLE])
def test_review_cycles_are_for_those_who_read_dashboards(request, person, allowed, cycle, draft_plan):
    client = token_client(request.getfixturevalue(person))
    response = client.get("/api/v1/review-cycles/")
    if allowed:
        names = [c["name"] for c in results(response)]
        assert "Q1 2022-23" in names
        assert ("Draft cycle" in names) == (person == "admin_user")
        assert client.get(f"/api/v1/review-cycles/{cycle.pk}/").json()["board_meeting_on"] == "2021-10-05"
    else:
        assert response.status_code == 403
        assert response.json()["detail"] == "Review cycles are for board members, admins and leads."


def test_nobody_reads_without_signing_in(police_action):
    response = APIClient().get("/api/v1/actions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_the_browser_session_reads_too(client, board_member, police_action):
    client.force_login(board_member)
    response = client.get("/api/v1/actions/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_an_action_shows_its_facts_dates_as_written_and_its_etag(police_lead, police_action, today):
    Action.objects.filter(pk=police_action.pk).update(
        start_date=None, target_date=date(2022, 3, 31), target_date_precision="quarter"
    )
    response = token_client(police_lead).get(f"/api/v1/actions/{police_action.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert response["ETag"] == f'"action-{police_action.pk}-v1"' == body["etag"]
    assert body["reference"] == "1.1"
    assert body["theme"] == {"id": police_action.theme_id, "number": 1, "title": "Supporting victims"}
    assert body["police_lead"]["name"] == "Paula Police"
    assert body["cps_lead"] is None
    assert [o["name"] for o in body["lead_organisations"]] == ["Avon and Somerset Constabulary"]
    assert (body["start_date"], body["start_date_text"]) == (None, "")
    assert (body["target_date"], body["target_date_precision"], body["target_date_text"]) == (
        "2022-03-31",
        "quarter",
        "Q1 2022",
    )
    assert body["is_overdue"] is (today > date(2022, 3, 31))
    assert body["web_url"] == police_action.get_absolute_url()


@pytest.fixture
def spread(national_plan, police_lead, cps_lead, police_force, cps_area, today):
    """Actions of each side, status and RAG, one overdue and one updated recently."""
    t1, t2 = national_plan.themes.get(number=1), national_plan.themes.get(number=2)
    made = {
        "1.1": ActionFactory(theme=t1, reference="1.1", side=Side.POLICE, police_lead=police_lead, rag=Rag.RED),
        "1.2": ActionFactory(
            theme=t1,
            reference="1.2",
            side=Side.CPS,
            cps_lead=cps_lead,
            status=Status.NOT_STARTED,
            rag=Rag.AMBER,
            target_date=today + timedelta(days=90),
        ),
        "2.1": ActionFactory(
            theme=t2,
            reference="2.1",
            side=Side.JOINT,
            police_lead=police_lead,
            cps_lead=cps_lead,
            status=Status.COMPLETED,
            completed_on=date(2022, 1, 1),
        ),
        "2.2": ActionFactory(theme=t2, reference="2.2", side=Side.JOINT, target_date=today + timedelta(days=10)),
    }
    made["1.1"].lead_organisations.add(police_force)
    made["1.2"].lead_organisations.add(cps_area)
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["1.1", "1.2", "2.1", "2.2"]),
        ("plan=national", ["1.1", "1.2", "2.1", "2.2"]),
        ("theme=2", ["2.1", "2.2"]),
        ("side=joint", ["2.1", "2.2"]),
        ("status=in_progress&status=not_started", ["1.1", "1.2", "2.2"]),
        ("rag=red&rag=amber", ["1.1", "1.2"]),
        ("overdue=yes", ["1.1"]),
        ("overdue=no", ["1.2", "2.1", "2.2"]),
        ("theme=1&rag=amber", ["1.2"]),
    ],
)
def test_actions_are_filtered_as_on_the_dashboard(board_member, spread, query, expected):
    assert [a["reference"] for a in results(token_client(board_member).get(f"/api/v1/actions/?{query}"))] == expected


def test_actions_are_filtered_by_lead_organisation_and_updated_since(board_member, police_lead, cps_area, spread):
    client = token_client(board_member)
    assert [a["reference"] for a in results(client.get(f"/api/v1/actions/?lead={police_lead.pk}"))] == ["1.1", "2.1"]
    assert [a["reference"] for a in results(client.get(f"/api/v1/actions/?organisation={cps_area.pk}"))] == ["1.2"]
    before = timezone.now()
    action_update_status(
        action=spread["1.1"],
        by=police_lead,
        status="in_progress",
        rag="red",
        narrative="Still red: the supplier is late again.",
        expected_version=1,
    )
    since = before.isoformat().replace("+00:00", "Z")
    assert [a["reference"] for a in results(client.get("/api/v1/actions/", {"updated_since": since}))] == ["1.1"]
    updates = results(client.get("/api/v1/status-updates/", {"plan": "national", "recorded_since": since}))
    assert [(u["action_reference"], u["narrative"]) for u in updates] == [
        ("1.1", "Still red: the supplier is late again.")
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("rag=purple", "rag"),
        ("status=finished", "status"),
        ("overdue=maybe", "overdue"),
        ("theme=two", "theme"),
        ("theme=99999999999999999999", "theme"),
        ("lead=nobody", "lead"),
        ("lead=99999999999", "lead"),
        ("plan=nowhere", "plan"),
        ("updated_since=yesterday", "updated_since"),
        ("side=both", "side"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(board_member, spread, query, field):
    response = token_client(board_member).get(f"/api/v1/actions/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["detail"]


def test_lists_are_paginated_by_100_and_a_missing_page_is_a_404_with_a_message(board_member, national_plan):
    theme = national_plan.themes.get(number=1)
    Action.objects.bulk_create(
        [
            Action(
                plan=national_plan,
                theme=theme,
                reference=f"1.{n}",
                reference_sort=f"{n:06d}",
                title=f"Action {n}",
                side=Side.JOINT,
                start_date=date(2021, 4, 1),
                target_date=date(2022, 3, 31),
            )
            for n in range(1, 131)
        ]
    )
    client = token_client(board_member)
    first = client.get("/api/v1/actions/").json()
    assert (first["count"], len(first["results"])) == (130, 100)
    assert first["next"].endswith("/api/v1/actions/?page=2")
    assert len(client.get("/api/v1/actions/?page=2").json()["results"]) == 30
    assert len(client.get("/api/v1/actions/?page_size=20").json()["results"]) == 20
    assert len(client.get("/api/v1/actions/?page_size=100000").json()["results"]) == 130
    missing = client.get("/api/v1/actions/?page=9")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "There is no page 9 of these results."}
    assert client.get("/api/v1/actions/?page=abc").status_code == 404


def test_unknown_addresses_under_the_api_answer_json(board_member):
    response = token_client(board_member).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "no API endpoint" in response.json()["detail"]
    assert token_client(board_member).get("/api/v1/actions/abc/").status_code == 404
    assert token_client(board_member).get("/api/v1/actions/99999999999999999999/").status_code == 404


def test_the_api_answers_json_only(board_member, police_action):
    response = token_client(board_member).get("/api/v1/actions/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.json()["detail"]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_query_count_of_a_page_of_actions_does_not_grow_with_the_page_size(
    board_member, national_plan, police_lead, cps_lead, police_force, cps_area
):
    themes = list(national_plan.themes.all())
    for n in range(120):
        action = ActionFactory(
            theme=themes[n % 5],
            reference=f"{n % 5 + 1}.{n}",
            side=Side.JOINT,
            police_lead=police_lead,
            cps_lead=cps_lead,
        )
        action.lead_organisations.add(police_force, cps_area)
    client = token_client(board_member)
    client.get("/api/v1/actions/")  # the token's first use is recorded once; later requests read only
    counts = {size: count_queries(client, f"/api/v1/actions/?plan=national&page_size={size}") for size in (1, 10, 100)}
    assert len(set(counts.values())) == 1, counts
    # The token, the plan filter, the count, the page and its lead organisations.
    assert counts[100] <= 5, counts
    updates = {size: count_queries(client, f"/api/v1/status-updates/?page_size={size}") for size in (1, 100)}
    assert len(set(updates.values())) == 1, updates


def test_the_action_written_out_by_hand_is_what_the_declared_fields_give(
    admin_user, police_action, joint_action, national_plan, today
):
    from rest_framework import serializers as drf

    from api.selectors import actions_for_api
    from api.serializers import ActionSerializer

    Action.objects.filter(pk=police_action.pk).update(
        start_date=None,
        target_date=date(2022, 3, 31),
        target_date_precision="quarter",
        rag="",
        status="completed",
        completed_on=date(2022, 1, 5),
        last_update_at=timezone.now(),
    )
    Action.objects.filter(pk=joint_action.pk).update(revised_target_date=date(2023, 6, 30), revision_reason="Late.")
    for action in actions_for_api(user=admin_user):
        serializer = ActionSerializer(context={"today": today})
        generic = drf.ModelSerializer.to_representation(serializer, action)
        assert serializer.to_representation(action) == dict(generic)


def test_a_control_character_in_an_address_is_refused_in_json(board_member):
    response = token_client(board_member).get("/api/v1/actions/", {"rag": "red\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "cannot be used in a search or filter" in response.json()["detail"]


def test_a_review_cycle_shows_its_window_meeting_and_state_as_its_page_does(board_member, admin_user, national_plan):
    from reviews.services import review_cycle_close
    from tests.factories import ReviewCycleFactory

    today = timezone.localdate()
    closed = ReviewCycleFactory(
        plan=national_plan,
        name="Q2 2021-22",
        opens_on=date(2021, 10, 4),
        updates_due_on=date(2021, 10, 22),
        board_meeting_on=date(2021, 10, 28),
        state="open",
    )
    review_cycle_close(cycle=closed, by=admin_user)
    current = ReviewCycleFactory(
        plan=national_plan,
        name="Now",
        opens_on=today - timedelta(days=3),
        updates_due_on=today + timedelta(days=10),
        board_meeting_on=today + timedelta(days=20),
        state="open",
    )
    client = token_client(board_member)
    now = client.get(f"/api/v1/review-cycles/{current.pk}/").json()
    assert (now["state"], now["taking_updates"], now["closed_at"], now["closed_by"]) == ("open", True, None, None)
    assert now["opens_on"] == (today - timedelta(days=3)).isoformat()
    assert now["board_meeting_on"] == (today + timedelta(days=20)).isoformat()
    then = client.get(f"/api/v1/review-cycles/{closed.pk}/").json()
    assert (then["state"], then["taking_updates"], then["updates_due_on"]) == ("closed", False, "2021-10-22")
    assert then["closed_by"]["username"] == admin_user.username and then["closed_at"]
    assert [c["name"] for c in results(client.get("/api/v1/review-cycles/", {"state": "closed"}))] == ["Q2 2021-22"]
