"""Plans, themes and review cycles in the admin: choices named with their plan, and every refusal in plain words."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.admin_support import admin_form_data, page_errors
from tests.factories import LocalPlanFactory, PlanFactory, ReviewCycleFactory, ThemeFactory
from themes.models import Plan, ReviewCycle, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_plans(national_plan):
    plans = []
    for number, name in enumerate(["Avon and Somerset", "Greater Manchester"], start=1):
        plan = LocalPlanFactory(mirrors=national_plan, title=f"{name} joint action plan", slug=f"local-{number}")
        ThemeFactory(plan=plan, number=1, title="Supporting victims", mirrors=national_plan.themes.get(number=1))
        plans.append(plan)
    return plans


def plan_url(plan) -> str:
    return reverse("admin:themes_plan_change", args=[plan.pk])


# -- Themes mirror their national plan's themes ---------------------------------------------------------------


def test_a_local_plans_theme_picker_offers_the_national_plans_themes_named_with_their_plan(
    client, admin_user, national_plan, local_plans
):
    client.force_login(admin_user)

    page = client.get(plan_url(local_plans[0]))

    formset = page.context["inline_admin_formsets"][0].formset
    labels = [str(label) for value, label in formset.forms[0].fields["mirrors"].choices if value != ""]
    assert labels == [
        "Joint national action plan: 1. Supporting victims",
        "Joint national action plan: 2. Casework quality",
        "Joint national action plan: 3. Right to privacy",
        "Joint national action plan: 4. Training",
        "Joint national action plan: 5. Collaboration",
    ]


def test_a_local_theme_mirroring_another_local_plans_theme_is_refused(client, admin_user, local_plans):
    client.force_login(admin_user)
    theme = local_plans[0].themes.get()
    other_local_theme = local_plans[1].themes.get()
    page = client.get(reverse("admin:themes_theme_change", args=[theme.pk]))

    # Sent as a forged choice, since the picker does not offer it.
    response = client.post(
        reverse("admin:themes_theme_change", args=[theme.pk]), admin_form_data(page, mirrors=other_local_theme.pk)
    )

    assert response.status_code == 200
    assert page_errors(response) == ["Choose a theme of the national plan this plan mirrors from the list"]
    theme.refresh_from_db()
    assert theme.mirrors.plan.kind == Plan.Kind.NATIONAL


def test_the_rule_itself_names_the_plan_to_choose_from(local_plans):
    theme = local_plans[0].themes.get()
    theme.mirrors = local_plans[1].themes.get()

    with pytest.raises(ValidationError) as refused:
        theme.full_clean()

    assert refused.value.message_dict == {
        "mirrors": [
            "Choose a theme of Joint national action plan, the national plan this plan mirrors: "
            "1. Supporting victims belongs to Greater Manchester joint action plan"
        ]
    }


def test_a_national_theme_mirrors_nothing(national_plan, local_plans):
    theme = national_plan.themes.get(number=2)
    theme.mirrors = national_plan.themes.get(number=1)

    with pytest.raises(ValidationError) as refused:
        theme.full_clean()

    assert refused.value.message_dict == {
        "mirrors": ["Leave this empty: a theme of a national plan mirrors no other theme"]
    }


def test_the_database_refuses_a_theme_mirroring_itself(national_plan):
    theme = national_plan.themes.get(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.filter(pk=theme.pk).update(mirrors=theme)


def test_a_theme_number_below_one_is_refused_in_the_plans_page(client, admin_user, local_plans):
    client.force_login(admin_user)
    plan = local_plans[0]
    page = client.get(plan_url(plan))

    response = client.post(plan_url(plan), admin_form_data(page, **{"themes-0-number": "0"}))

    assert response.status_code == 200
    assert "Enter a theme number of 1 or more" in page_errors(response)
    assert "Constraint “" not in response.content.decode()


# -- Plans --------------------------------------------------------------------------------------------------


LOCAL_PLAN_NEEDS = (
    "A local plan needs a police force, a CPS Area and the national plan it mirrors; a national plan has none of them"
)
BAD_PLANS = [
    (
        "period ends before it starts",
        {"period_start": "2024-01-01", "period_end": "2023-01-01"},
        "The plan's end date must be the same as or after its start date",
    ),
    ("local plan without its force", {"police_force": ""}, LOCAL_PLAN_NEEDS),
    ("local plan without its Area", {"cps_area": ""}, LOCAL_PLAN_NEEDS),
    ("local plan without its national plan", {"mirrors": ""}, LOCAL_PLAN_NEEDS),
]


@pytest.mark.parametrize("case, changes, message", BAD_PLANS, ids=[case for case, _, _ in BAD_PLANS])
def test_bad_plan_content_is_refused_with_a_plain_message(client, admin_user, local_plans, case, changes, message):
    client.force_login(admin_user)
    plan = local_plans[0]
    page = client.get(plan_url(plan))

    response = client.post(plan_url(plan), admin_form_data(page, **changes))

    assert response.status_code == 200
    assert message in page_errors(response)
    assert "Constraint “" not in response.content.decode()


def test_a_national_plan_names_no_force(client, admin_user, national_plan, police_force):
    client.force_login(admin_user)
    page = client.get(plan_url(national_plan))

    response = client.post(plan_url(national_plan), admin_form_data(page, police_force=police_force.pk))

    assert LOCAL_PLAN_NEEDS in page_errors(response)


# -- Review cycles --------------------------------------------------------------------------------------------

CYCLE_ADD = reverse("admin:themes_reviewcycle_add")


def cycle_data(plan, **changes) -> dict:
    return {
        "plan": plan.pk,
        "name": "Q3 2021-22",
        "opens_on": "2021-10-01",
        "updates_due_on": "2021-10-21",
        "board_meeting_on": "2021-11-04",
        "state": "planned",
        **changes,
    }


@pytest.mark.parametrize("state", ["planned", "open"])
def test_an_update_window_overlapping_another_open_cycle_is_refused(client, admin_user, national_plan, state):
    ReviewCycleFactory(plan=national_plan, name="Q2 2021-22", opens_on=date(2021, 9, 15),
                       updates_due_on=date(2021, 10, 5), board_meeting_on=date(2021, 10, 19), state=state)  # fmt: skip
    client.force_login(admin_user)

    response = client.post(CYCLE_ADD, cycle_data(national_plan, state="open"))

    assert response.status_code == 200
    assert page_errors(response) == [
        "The update window overlaps Q2 2021-22 (15 September 2021 to 5 October 2021), which is not closed: "
        "change the dates so the windows do not overlap, or close Q2 2021-22 first"
    ]
    assert national_plan.review_cycles.count() == 1


@pytest.mark.parametrize(
    "other",
    [
        {"state": "closed"},  # a closed cycle takes no updates
        {"opens_on": date(2021, 9, 1), "updates_due_on": date(2021, 9, 30)},  # ends the day before
    ],
)
def test_cycles_that_do_not_compete_for_updates_are_accepted(client, admin_user, national_plan, other):
    values = {"opens_on": date(2021, 9, 15), "updates_due_on": date(2021, 10, 5), "state": "open", **other}
    ReviewCycleFactory(plan=national_plan, name="Q2 2021-22", board_meeting_on=date(2021, 10, 19), **values)
    client.force_login(admin_user)

    response = client.post(CYCLE_ADD, cycle_data(national_plan))

    assert response.status_code == 302, page_errors(response)
    assert national_plan.review_cycles.count() == 2


def test_another_plans_cycle_may_share_the_dates(client, admin_user, national_plan, local_plans):
    ReviewCycleFactory(plan=local_plans[0], name="Q3 2021-22", opens_on=date(2021, 10, 1),
                       updates_due_on=date(2021, 10, 21), board_meeting_on=date(2021, 11, 4))  # fmt: skip
    client.force_login(admin_user)

    response = client.post(CYCLE_ADD, cycle_data(national_plan))

    assert response.status_code == 302, page_errors(response)


def test_reopening_a_closed_cycle_that_overlaps_an_open_one_is_refused(client, admin_user, national_plan):
    ReviewCycleFactory(plan=national_plan, name="Q2 2021-22", opens_on=date(2021, 9, 15),
                       updates_due_on=date(2021, 10, 5), board_meeting_on=date(2021, 10, 19), state="open")  # fmt: skip
    closed = ReviewCycleFactory(plan=national_plan, name="Q3 2021-22", opens_on=date(2021, 10, 1),
                                updates_due_on=date(2021, 10, 21), board_meeting_on=date(2021, 11, 4),
                                state="closed")  # fmt: skip
    client.force_login(admin_user)
    url = reverse("admin:themes_reviewcycle_change", args=[closed.pk])

    response = client.post(url, admin_form_data(client.get(url), state="open"))

    assert response.status_code == 200
    assert page_errors(response)[0].startswith("The update window overlaps Q2 2021-22")
    closed.refresh_from_db()
    assert closed.state == "closed"


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"updates_due_on": "2021-09-30"},
            "The date updates are due must be the same as or after the date they open",
        ),
        ({"board_meeting_on": "2021-10-20"}, "The board meeting must be on or after the date updates are due"),
    ],
)
def test_review_cycle_dates_out_of_order_are_refused_with_a_plain_message(
    client, admin_user, national_plan, changes, message
):
    client.force_login(admin_user)

    response = client.post(CYCLE_ADD, cycle_data(national_plan, **changes))

    assert page_errors(response) == [message]
    assert "Constraint “" not in response.content.decode()


@pytest.mark.postgres
def test_the_database_refuses_overlapping_open_cycles(national_plan):
    ReviewCycleFactory(plan=national_plan, name="Q2", opens_on=date(2021, 9, 15), updates_due_on=date(2021, 10, 5),
                       board_meeting_on=date(2021, 10, 19), state="open")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewCycle.objects.create(plan=national_plan, name="Q3", opens_on=date(2021, 10, 5),
                                   updates_due_on=date(2021, 10, 21), board_meeting_on=date(2021, 11, 4))  # fmt: skip
    ReviewCycle.objects.create(plan=national_plan, name="Q3", opens_on=date(2021, 10, 6),
                               updates_due_on=date(2021, 10, 21), board_meeting_on=date(2021, 11, 4))  # fmt: skip
    other_plan = PlanFactory()
    ReviewCycle.objects.create(plan=other_plan, name="Q2", opens_on=date(2021, 9, 15),
                               updates_due_on=date(2021, 10, 5), board_meeting_on=date(2021, 10, 19))  # fmt: skip


@pytest.mark.postgres
def test_the_constraint_carries_its_own_message(national_plan):
    ReviewCycleFactory(plan=national_plan, name="Q2", opens_on=date(2021, 9, 15), updates_due_on=date(2021, 10, 5),
                       board_meeting_on=date(2021, 10, 19), state="open")  # fmt: skip
    cycle = ReviewCycle(plan=national_plan, name="Q3", opens_on=date(2021, 10, 1), updates_due_on=date(2021, 10, 21),
                        board_meeting_on=date(2021, 11, 4))  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        cycle.validate_constraints()

    assert refused.value.messages == [
        "The update window overlaps another review cycle of this plan that is not closed: "
        "change the dates, or close the other cycle first"
    ]
