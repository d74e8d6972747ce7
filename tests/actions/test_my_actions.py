"""My actions: what a lead sees, flagged and most urgent first, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Side
from actions.selectors import actions_for_lead, group_by_plan_and_theme
from tests.factories import (
    ActionFactory,
    LocalPlanFactory,
    PoliceForceFactory,
    ReviewCycleFactory,
    StatusUpdateFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2021, 9, 10)


def make_action(theme, reference, *, target, status="in_progress", lead=None, owners=(), side=Side.POLICE):
    action = ActionFactory(
        theme=theme,
        reference=reference,
        title=f"Action {reference}",
        side=side,
        police_lead=lead,
        target_date=target,
        status=status,
        completed_on=date(2021, 8, 1) if status == "completed" else None,
    )
    action.lead_organisations.add(*owners)
    return action


def test_lead_sees_actions_they_lead_or_their_organisation_owns_and_nothing_else(
    police_lead, police_force, cps_area, national_plan
):
    theme = national_plan.themes.get(number=1)
    led = make_action(theme, "1.1", target=date(2022, 3, 31), lead=police_lead)
    owned = make_action(theme, "1.2", target=date(2022, 3, 31), owners=[police_force])
    make_action(theme, "1.3", target=date(2022, 3, 31), owners=[cps_area], side=Side.CPS)
    make_action(theme, "1.4", target=date(2022, 3, 31), owners=[PoliceForceFactory(name="Kent Police")])

    found = list(actions_for_lead(user=police_lead, as_of=TODAY))

    assert {a.pk for a in found} == {led.pk, owned.pk}


def test_flags_and_most_urgent_first(police_lead, police_force, national_plan):
    theme = national_plan.themes.get(number=1)
    cycle = ReviewCycleFactory(
        plan=national_plan, name="Q3", opens_on=date(2021, 9, 1), updates_due_on=date(2021, 9, 21)
    )
    later = make_action(theme, "1.1", target=date(2022, 3, 31), lead=police_lead)
    due_soon = make_action(theme, "1.2", target=date(2021, 10, 1), lead=police_lead)
    overdue = make_action(theme, "1.3", target=date(2021, 8, 31), lead=police_lead)
    done = make_action(theme, "1.4", target=date(2021, 8, 31), lead=police_lead, status="completed")
    updated = make_action(theme, "1.5", target=date(2022, 6, 30), lead=police_lead)
    StatusUpdateFactory(action=updated, author=police_lead, review_cycle=cycle, version=2)

    found = list(actions_for_lead(user=police_lead, as_of=TODAY))
    flags = {a.reference: (a.flag_overdue, a.flag_due_soon, a.flag_needs_update) for a in found}

    assert [a.pk for a in found] == [overdue.pk, due_soon.pk, later.pk, updated.pk, done.pk]
    assert flags == {
        "1.3": (True, False, True),
        "1.2": (False, True, True),
        "1.1": (False, False, True),
        "1.5": (False, False, False),
        "1.4": (False, False, False),
    }


def test_no_update_flag_only_while_a_review_cycle_is_open(police_lead, national_plan):
    theme = national_plan.themes.get(number=1)
    make_action(theme, "1.1", target=date(2022, 3, 31), lead=police_lead)
    ReviewCycleFactory(plan=national_plan, name="Q3", opens_on=date(2021, 9, 1), updates_due_on=date(2021, 9, 21))

    assert [a.flag_needs_update for a in actions_for_lead(user=police_lead, as_of=date(2021, 9, 10))] == [True]
    assert [a.flag_needs_update for a in actions_for_lead(user=police_lead, as_of=date(2021, 9, 22))] == [False]


def test_actions_are_grouped_by_plan_national_first_then_theme(police_lead, police_force, national_plan):
    local = LocalPlanFactory(
        title="Avon and Somerset plan", slug="avon", mirrors=national_plan, police_force=police_force
    )
    local_theme = ThemeFactory(plan=local, number=1, title="Local victims")
    make_action(local_theme, "L1", target=date(2022, 3, 31), lead=police_lead)
    make_action(national_plan.themes.get(number=2), "2.1", target=date(2022, 3, 31), lead=police_lead)
    make_action(national_plan.themes.get(number=1), "1.1", target=date(2022, 3, 31), lead=police_lead)

    groups = group_by_plan_and_theme(actions_for_lead(user=police_lead, as_of=TODAY))

    assert [(g.plan.title, [t.theme.number for t in g.themes]) for g in groups] == [
        ("Joint national action plan", [1, 2]),
        ("Avon and Somerset plan", [1]),
    ]


def _my_actions_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("actions:mine"))
    assert response.status_code == 200
    return len(queries)


def test_my_actions_page_query_count_does_not_grow_with_actions(
    client, police_lead, police_force, national_plan, django_assert_max_num_queries
):
    ReviewCycleFactory(plan=national_plan, name="Q3", opens_on=date(2021, 9, 1), updates_due_on=date(2021, 9, 21))
    client.force_login(police_lead)
    themes = list(national_plan.themes.all())
    for n in range(2):
        make_action(themes[n % 5], f"9.{n}", target=date(2021, 9, 30), lead=police_lead, owners=[police_force])
    with time_machine.travel(TODAY):
        few = _my_actions_queries(client, police_lead)
        for n in range(2, 30):
            cps = UserFactory(username=f"cps{n}")
            action = make_action(themes[n % 5], f"9.{n}", target=date(2021, 9, 30), owners=[police_force])
            StatusUpdateFactory(action=action, author=cps, version=2)
        with django_assert_max_num_queries(few):
            response = client.get(reverse("actions:mine"))
    assert len(re.findall(r'href="/actions/\d+/"', response.content.decode())) == 30
    assert few <= 8


def test_my_actions_page_shows_each_action_with_its_flags(client, police_lead, national_plan):
    make_action(national_plan.themes.get(number=1), "1.1", target=date(2021, 8, 31), lead=police_lead)
    client.force_login(police_lead)
    with time_machine.travel(TODAY):
        response = client.get(reverse("actions:mine"))
    body = response.content.decode()
    assert "Joint national action plan" in body
    assert "Theme 1: Supporting victims" in body
    assert "Action 1.1" in body
    assert "31 August 2021" in body
    assert "Overdue" in body
    assert "overdue by 10 days" in body
    assert "In progress" in body and "Green" in body


def test_leads_land_on_my_actions_after_sign_in(client, police_lead):
    response = client.post(
        reverse("login"), {"username": "police.lead", "password": "correct-horse-battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("actions:mine")
    assert "My actions" in response.content.decode()


def test_person_leading_nothing_is_told_so(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("actions:mine"))
    assert response.status_code == 200
    assert "You do not lead any actions" in response.content.decode()
