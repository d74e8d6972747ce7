"""Each integrity rule of the domain model rejects bad data in the database itself."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actionplan.append_only import AppendOnlyError
from actions.models import Action, Side, Status, StatusUpdate
from actions.validation import validate_action
from tests.factories import (
    ActionFactory,
    CpsAreaFactory,
    LocalPlanFactory,
    PlanFactory,
    PoliceForceFactory,
    ReviewCycleFactory,
    StatusUpdateFactory,
    ThemeFactory,
)
from themes.models import Plan, ReviewCycle, Theme

pytestmark = pytest.mark.django_db


def assert_rejected(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_action_reference_is_unique_within_its_plan(national_plan):
    theme = national_plan.themes.get(number=1)
    ActionFactory(theme=theme, reference="1.1")
    assert_rejected(lambda: ActionFactory(theme=theme, reference="1.1"))


def test_same_reference_is_allowed_in_another_plan(national_plan):
    ActionFactory(theme=national_plan.themes.get(number=1), reference="1.1")
    other = ThemeFactory(plan=PlanFactory(), number=1)
    assert ActionFactory(theme=other, reference="1.1").pk


def test_start_date_cannot_follow_target_date(national_plan):
    theme = national_plan.themes.get(number=1)
    assert_rejected(lambda: ActionFactory(theme=theme, start_date=date(2022, 1, 2), target_date=date(2022, 1, 1)))


def test_revised_date_needs_a_reason(national_plan):
    theme = national_plan.themes.get(number=1)
    assert_rejected(lambda: ActionFactory(theme=theme, revised_target_date=date(2023, 1, 1), revision_reason=""))


def test_revised_date_cannot_precede_start(national_plan):
    theme = national_plan.themes.get(number=1)
    assert_rejected(
        lambda: ActionFactory(
            theme=theme, start_date=date(2021, 4, 1), revised_target_date=date(2021, 1, 1), revision_reason="Slipped"
        )
    )


def test_police_action_cannot_have_a_cps_lead(national_plan, cps_lead):
    theme = national_plan.themes.get(number=1)
    assert_rejected(lambda: ActionFactory(theme=theme, side=Side.POLICE, cps_lead=cps_lead))


def test_cps_action_cannot_have_a_police_lead(national_plan, police_lead):
    theme = national_plan.themes.get(number=1)
    assert_rejected(lambda: ActionFactory(theme=theme, side=Side.CPS, police_lead=police_lead))


def test_closed_action_needs_a_closure_reason(national_plan):
    theme = national_plan.themes.get(number=1)
    assert_rejected(lambda: ActionFactory(theme=theme, status=Status.CLOSED, closure_reason=""))


def test_completed_action_needs_a_completion_date(national_plan):
    theme = national_plan.themes.get(number=1)
    assert_rejected(lambda: ActionFactory(theme=theme, status=Status.COMPLETED, completed_on=None))


def test_unknown_status_and_rag_are_rejected(national_plan):
    theme = national_plan.themes.get(number=1)
    assert_rejected(lambda: ActionFactory(theme=theme, status="done"))
    assert_rejected(lambda: ActionFactory(theme=theme, rag="blue"))
    assert_rejected(lambda: ActionFactory(theme=theme, side="army"))


def test_theme_number_is_unique_within_plan(national_plan):
    assert_rejected(lambda: Theme.objects.create(plan=national_plan, number=1, title="Duplicate"))


def test_plan_period_must_be_in_order():
    assert_rejected(lambda: PlanFactory(period_start=date(2024, 1, 1), period_end=date(2021, 1, 1)))


def test_local_plan_needs_a_force_an_area_and_the_national_plan(national_plan):
    assert_rejected(lambda: PlanFactory(kind=Plan.Kind.LOCAL))
    assert_rejected(lambda: PlanFactory(kind=Plan.Kind.LOCAL, mirrors=national_plan, police_force=PoliceForceFactory()))


def test_national_plan_has_no_force_or_area():
    assert_rejected(lambda: PlanFactory(kind=Plan.Kind.NATIONAL, police_force=PoliceForceFactory()))


def test_one_local_plan_per_force_and_area(national_plan):
    force, area = PoliceForceFactory(), CpsAreaFactory()
    LocalPlanFactory(mirrors=national_plan, police_force=force, cps_area=area)
    assert_rejected(lambda: LocalPlanFactory(mirrors=national_plan, police_force=force, cps_area=area))


def test_review_cycle_dates_must_be_in_order(national_plan):
    assert_rejected(
        lambda: ReviewCycleFactory(plan=national_plan, opens_on=date(2021, 9, 30), updates_due_on=date(2021, 9, 1))
    )
    assert_rejected(
        lambda: ReviewCycleFactory(
            plan=national_plan, updates_due_on=date(2021, 10, 30), board_meeting_on=date(2021, 10, 1)
        )
    )
    assert_rejected(lambda: ReviewCycleFactory(plan=national_plan, state="finished"))


def test_review_cycle_name_is_unique_within_plan(national_plan):
    ReviewCycleFactory(plan=national_plan, name="Q3 2021-22")
    assert_rejected(lambda: ReviewCycleFactory(plan=national_plan, name="Q3 2021-22"))
    assert ReviewCycle.objects.count() == 1


def test_one_status_update_per_action_version(police_action, police_lead):
    StatusUpdateFactory(action=police_action, author=police_lead, version=2)
    assert_rejected(lambda: StatusUpdateFactory(action=police_action, author=police_lead, version=2))


def test_status_updates_are_append_only(police_action, police_lead):
    update = StatusUpdateFactory(action=police_action, author=police_lead, version=2)
    update.narrative = "Rewritten history"
    with pytest.raises(AppendOnlyError):
        update.save()
    with pytest.raises(AppendOnlyError):
        update.delete()
    assert StatusUpdate.objects.get(pk=update.pk).narrative == "Progress as planned."


def test_leads_must_belong_to_the_matching_side(national_plan, police_lead, cps_lead):
    theme = national_plan.themes.get(number=2)
    swapped = Action(
        plan=national_plan, theme=theme, reference="9.9", title="Swapped", side=Side.JOINT,
        police_lead=cps_lead, cps_lead=police_lead, start_date=date(2021, 1, 1), target_date=date(2022, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        validate_action(swapped)
    assert set(error.value.message_dict) == {"police_lead", "cps_lead"}


def test_theme_must_belong_to_the_actions_plan(national_plan):
    other_theme = ThemeFactory(plan=PlanFactory(), number=1)
    action = Action(
        plan=national_plan, theme=other_theme, reference="1.9", title="Wrong theme", side=Side.JOINT,
        start_date=date(2021, 1, 1), target_date=date(2022, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        validate_action(action)
    assert "theme" in error.value.message_dict


def test_local_action_mirrors_an_action_of_its_national_plan(national_plan, police_action):
    local = LocalPlanFactory(mirrors=national_plan)
    local_theme = ThemeFactory(plan=local, number=1, mirrors=national_plan.themes.get(number=1))
    elsewhere = ActionFactory(theme=ThemeFactory(plan=PlanFactory(), number=1))
    action = Action(
        plan=local, theme=local_theme, reference="1.1", title="Local copy", side=Side.JOINT,
        start_date=date(2021, 1, 1), target_date=date(2022, 1, 1), mirrors=elsewhere,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        validate_action(action)
    assert "mirrors" in error.value.message_dict
    action.mirrors = police_action
    validate_action(action)


def test_references_sort_naturally(national_plan):
    theme = national_plan.themes.get(number=2)
    for reference in ["2.10", "2.9", "2.1"]:
        ActionFactory(theme=theme, reference=reference)
    assert list(Action.objects.filter(theme=theme).values_list("reference", flat=True)) == ["2.1", "2.9", "2.10"]


# -- Constraints carry their own messages -------------------------------------------------------------------------


def test_every_constraint_says_what_to_do_in_words_not_its_name():
    from django.apps import apps

    constraints = [
        (model, constraint)
        for app in ("actionplan", "themes", "actions", "reviews", "notifications")
        for model in apps.get_app_config(app).get_models()
        for constraint in model._meta.constraints
    ]
    assert len(constraints) >= 25
    for model, constraint in constraints:
        message = constraint.get_violation_error_message()
        assert constraint.name not in message, (model, constraint.name)
        assert "violated" not in message and "Constraint" not in message, (model, constraint.name)


def test_full_clean_reports_a_broken_constraint_with_its_message(national_plan):
    action = Action(
        plan=national_plan,
        theme=national_plan.themes.get(number=1),
        reference="1.9",
        title="Backwards dates",
        side=Side.POLICE,
        start_date=date(2022, 6, 1),
        target_date=date(2022, 1, 1),
        status="closed",
    )
    with pytest.raises(ValidationError) as raised:
        action.full_clean()
    messages = raised.value.messages
    assert "The target date must be the same as or after the start date" in messages
    assert any(message.startswith("Select why the action is closed") for message in messages)
    assert not any("action_" in message for message in messages)
