"""My actions' filters: status, plan, theme, whose, completed and closed; kept in the address; invalid values named."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from actions.models import Side, Status
from tests.factories import ActionFactory, LocalPlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(police_lead, police_force, cps_area, national_plan):
    """Paula leads 1.1 (in progress) and 2.1 (completed); her force owns 1.2 (not started) and the local L1
    (closed), which she does not lead; a CPS action of the plan is neither hers nor her force's."""
    local = LocalPlanFactory(
        mirrors=national_plan, title="Avon and Somerset plan", slug="avon", police_force=police_force, cps_area=cps_area
    )
    local_theme = ThemeFactory(plan=local, number=1, title="Supporting victims")

    def make(theme, reference, status, *, lead=None, owners=(), side=Side.POLICE):
        action = ActionFactory(
            theme=theme,
            reference=reference,
            title=f"Action {reference}",
            side=side,
            police_lead=lead if side != Side.CPS else None,
            status=status,
            completed_on=date(2021, 8, 1) if status == Status.COMPLETED else None,
            closure_reason="withdrawn" if status == Status.CLOSED else "",
            target_date=date(2030, 3, 31),
        )
        action.lead_organisations.add(*owners)
        return action

    theme1, theme2 = national_plan.themes.get(number=1), national_plan.themes.get(number=2)
    make(theme1, "1.1", Status.IN_PROGRESS, lead=police_lead)
    make(theme1, "1.2", Status.NOT_STARTED, owners=[police_force])
    make(theme2, "2.1", Status.COMPLETED, lead=police_lead)
    make(local_theme, "L1", Status.CLOSED, owners=[police_force])
    make(theme2, "2.2", Status.IN_PROGRESS, owners=[cps_area], side=Side.CPS)


def shown(client, user, query: str = "") -> tuple[list[str], str]:
    client.force_login(user)
    response = client.get(reverse("actions:mine") + query)
    assert response.status_code == 200
    body = response.content.decode()
    return re.findall(r'data-action="([^"]+)"', body), body


def test_without_filters_every_action_is_listed(client, police_lead, mine):
    references, body = shown(client, police_lead)
    assert sorted(references) == ["1.1", "1.2", "2.1", "L1"]
    assert "4 in all" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=in_progress", ["1.1"]),
        ("?status=in_progress&status=not_started", ["1.1", "1.2"]),
        ("?plan=avon", ["L1"]),
        ("?plan=national", ["1.1", "1.2", "2.1"]),
        ("?theme=2", ["2.1"]),
        ("?whose=led", ["1.1", "2.1"]),
        ("?whose=organisation", ["1.2", "L1"]),
        ("?hide_done=yes", ["1.1", "1.2"]),
        ("?plan=national&whose=led&hide_done=yes", ["1.1"]),
    ],
)
def test_each_filter_narrows_the_list(client, police_lead, mine, query, expected):
    references, body = shown(client, police_lead, query)
    assert sorted(references) == expected
    assert f"{len(expected)} of 4 shown" in re.sub(r"<[^>]+>", "", body)


def test_filters_are_kept_in_the_address_and_shown_as_removable_tags(client, police_lead, mine):
    _, body = shown(client, police_lead, "?status=in_progress&whose=led")
    assert '<form method="get" action="/actions/mine/" novalidate>' in body
    assert 'class="moj-filter__tag" href="/actions/mine/?whose=led"' in body
    assert 'class="moj-filter__tag" href="/actions/mine/?status=in_progress"' in body
    assert re.search(r'id="status-in_progress" name="status" type="checkbox" value="in_progress" checked', body)
    assert re.search(r'id="whose-led" name="whose" type="radio" value="led" checked', body)
    assert re.search(r'id="whose-any" name="whose" type="radio" value="" *>', body)


def test_plan_and_theme_choices_are_those_of_the_persons_actions(client, police_lead, mine):
    _, body = shown(client, police_lead)
    plans = re.findall(r'<option value="([^"]*)"', body.split('id="id_plan"')[1].split("</select>")[0])
    assert plans == ["", "national", "avon"]
    themes = re.findall(r'<option value="([^"]*)"', body.split('id="id_theme"')[1].split("</select>")[0])
    assert themes == ["", "1", "2"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?status=done", "Status: Choose statuses from the list"),
        ("?plan=no-such-plan", "Plan: Choose a plan from the list"),
        ("?theme=9", "Theme: Choose a theme from the list"),
        ("?theme=abc", "Theme: Choose a theme from the list"),
        ("?whose=everyone", "Whose actions: Choose whose actions to show from the list"),
        ("?hide_done=maybe", "Completed and closed: Tick the box to hide completed and closed actions"),
    ],
)
def test_an_invalid_value_is_named_and_left_out(client, police_lead, mine, query, message):
    references, body = shown(client, police_lead, query)
    assert "There is a problem with the filters" in body
    assert message in body
    assert "<title>Error:" in body
    assert sorted(references) == ["1.1", "1.2", "2.1", "L1"]


def test_a_valid_filter_still_applies_beside_an_invalid_one(client, police_lead, mine):
    references, body = shown(client, police_lead, "?status=done&theme=2")
    assert references == ["2.1"]
    assert "Status: Choose statuses from the list" in body


def test_filters_that_match_nothing_say_so(client, police_lead, mine):
    references, body = shown(client, police_lead, "?plan=avon&status=in_progress")
    assert references == []
    assert "No actions match the filters." in body


def test_a_filtered_page_takes_no_more_queries(client, police_lead, mine, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(police_lead)
    with CaptureQueriesContext(connection) as plain:
        client.get(reverse("actions:mine"))
    with django_assert_max_num_queries(len(plain)):
        client.get(reverse("actions:mine") + "?status=in_progress&plan=national&theme=1&whose=led&hide_done=yes")
