"""Bringing in a plan that already has a history: updates dated when they happened, actions that joined the plan
before they were recorded, dates published as months or quarters, no start date, no confidence for done work."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from actionplan.dates import DatePrecision
from actions.content import action_create, suggest_reference
from actions.models import Action, Rag, Side, Status, StatusUpdate
from actions.services import action_update_status
from reviews.selectors import changes_since, figures_of, last_closed_cycle, trend_across_cycles
from tests.factories import ActionFactory
from tests.reviews.builders import LONDON, TODAY, build_known_plan, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def known(national_plan, police_lead, cps_lead, police_force, cps_area):
    return build_known_plan(
        national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
    )


def backfill_completed_2021_action(plan, *, by, police_lead) -> Action:
    """A 2021 action recorded today: it joined the plan in April 2021, started in June and was completed in
    December 2021, as the 2022 refresh reported."""
    action = action_create(
        plan=plan,
        theme=plan.themes.get(number=1),
        reference="1.9",
        title="Joint ISVA referral pathway",
        side=Side.POLICE,
        police_lead=police_lead,
        target_date=date(2021, 12, 31),
        target_date_precision=DatePrecision.MONTH,
        by=by,
        added_at=datetime(2021, 4, 1, tzinfo=LONDON),
    )
    action_update_status(
        action=action,
        by=by,
        status=Status.IN_PROGRESS,
        rag=Rag.GREEN,
        narrative="Pathway design started.",
        expected_version=action.version,
        effective_on=date(2021, 6, 1),
    )
    action_update_status(
        action=action,
        by=by,
        status=Status.COMPLETED,
        rag="",
        narrative="Pathway live, as the 2022 refresh reported.",
        expected_version=action.version,
        effective_on=date(2021, 12, 15),
    )
    return action


def test_backfilling_a_completed_2021_action_leaves_completed_since_the_last_review_unchanged(
    known, national_plan, admin_user, police_lead, on_today
):
    today = timezone.localdate()
    cycle = last_closed_cycle(plan=national_plan)
    before = changes_since(actions=national_plan.actions.all(), since=cycle, moment=None, day=today)
    trend_before = trend_across_cycles(plan=national_plan, actions=national_plan.actions.all(), today=today)

    action = backfill_completed_2021_action(national_plan, by=admin_user, police_lead=police_lead)

    after = changes_since(actions=national_plan.actions.all(), since=cycle, moment=None, day=today)
    assert [a.reference for a in after.completed] == [a.reference for a in before.completed]
    assert [a.reference for a in after.added] == [a.reference for a in before.added]
    assert [c.action.reference for c in after.changed] == [c.action.reference for c in before.changed]
    # It was already completed at every review cycle: each point of the trend counts one more completed action.
    trend_after = trend_across_cycles(plan=national_plan, actions=national_plan.actions.all(), today=today)
    for old, new in zip(trend_before, trend_after, strict=True):
        assert new.figures.completed == old.figures.completed + 1, new.label
        assert new.figures.total == old.figures.total + 1
    # The figures of today count it, without a delivery confidence.
    mine = figures_of(actions=national_plan.actions.filter(pk=action.pk), today=today)
    assert mine.completed == 1
    action.refresh_from_db()
    assert (action.status, action.rag, action.completed_on) == (Status.COMPLETED, "", date(2021, 12, 15))
    updates = list(action.updates.order_by("version"))
    assert [timezone.localdate(u.effective_at) for u in updates] == [date(2021, 6, 1), date(2021, 12, 15)]
    assert all(timezone.localdate(u.created_at) == today for u in updates)
    assert all(u.review_cycle is None and u.author == admin_user for u in updates)
    assert action.history.earliest().history_user == admin_user


def test_the_timeline_shows_when_it_happened_and_when_it_was_recorded(
    client, known, national_plan, admin_user, police_lead, on_today
):
    action = backfill_completed_2021_action(national_plan, by=admin_user, police_lead=police_lead)
    client.force_login(admin_user)
    body = client.get(action.get_absolute_url()).content.decode()
    assert "15 December 2021" in body
    assert "(recorded 15 June 2022)" in body
    assert "December 2021" in body  # the target date as published, a month
    assert "Not given" in body  # no start date, no delivery confidence
    assert body.index("15 December 2021") < body.index("1 June 2021")  # the latest to happen first


def test_an_update_cannot_be_dated_in_the_future_or_before_the_latest_update(police_action, admin_user, today):
    with pytest.raises(ValidationError) as future:
        action_update_status(
            action=police_action,
            by=admin_user,
            status=Status.IN_PROGRESS,
            rag=Rag.GREEN,
            narrative="Work planned for next year.",
            expected_version=1,
            effective_on=date(today.year + 1, 1, 1),
        )
    assert "today or in the past" in str(future.value.message_dict["effective_on"])
    Action.objects.filter(pk=police_action.pk).update(created_at=datetime(2021, 1, 1, tzinfo=LONDON))
    police_action.refresh_from_db()
    action_update_status(
        action=police_action,
        by=admin_user,
        status=Status.IN_PROGRESS,
        rag=Rag.GREEN,
        narrative="Work on the pathway started.",
        expected_version=1,
        effective_on=date(2021, 6, 1),
    )
    with pytest.raises(ValidationError) as earlier:
        action_update_status(
            action=police_action,
            by=admin_user,
            status=Status.COMPLETED,
            rag="",
            narrative="Delivered and signed off by the board.",
            expected_version=2,
            effective_on=date(2021, 5, 1),
        )
    assert "1 June 2021, the date of the latest update" in str(earlier.value.message_dict["effective_on"])
    with pytest.raises(ValidationError) as before_joining:
        action_update_status(
            action=police_action,
            by=admin_user,
            status=Status.COMPLETED,
            rag="",
            narrative="Delivered and signed off by the board.",
            expected_version=2,
            effective_on=date(2020, 5, 1),
        )
    assert "effective_on" in before_joining.value.message_dict
    assert StatusUpdate.objects.filter(action=police_action).count() == 1


def test_an_open_action_needs_a_delivery_confidence(police_action, police_lead):
    with pytest.raises(ValidationError) as error:
        action_update_status(
            action=police_action, by=police_lead, status=Status.IN_PROGRESS, rag="", narrative="x", expected_version=1
        )
    assert error.value.message_dict["rag"] == ["Select the delivery confidence"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=police_action.pk).update(rag="")


def test_a_done_action_may_have_no_delivery_confidence_in_the_database(police_action):
    Action.objects.filter(pk=police_action.pk).update(rag="", status=Status.CLOSED, closure_reason="withdrawn")
    assert Action.objects.get(pk=police_action.pk).rag == ""


def test_no_start_date_is_allowed_and_start_before_target_only_binds_when_both_exist(national_plan):
    theme = national_plan.themes.get(number=1)
    action = ActionFactory(theme=theme, reference="1.5", start_date=None, target_date=date(2021, 12, 31))
    assert action.start_date is None
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(theme=theme, reference="1.6", start_date=date(2022, 1, 1), target_date=date(2021, 12, 31))


def test_a_month_must_be_stored_as_its_last_day(national_plan, admin_user):
    with pytest.raises(ValidationError) as error:
        action_create(
            plan=national_plan,
            theme=national_plan.themes.get(number=1),
            reference="1.7",
            title="Misdated",
            side=Side.JOINT,
            target_date=date(2021, 12, 1),
            target_date_precision=DatePrecision.MONTH,
            by=admin_user,
        )
    assert "last day" in str(error.value.message_dict["target_date"])


def test_a_reference_is_suggested_as_the_next_free_number_in_the_theme(national_plan):
    theme = national_plan.themes.get(number=2)
    assert suggest_reference(theme=theme) == "2.1"
    ActionFactory(theme=theme, reference="2.1")
    ActionFactory(theme=theme, reference="2.6")
    assert suggest_reference(theme=theme) == "2.7"
    assert suggest_reference(theme=theme, taken={"2.7", "2.8"}) == "2.9"


def test_the_admin_takes_dates_as_published_and_shows_them_as_written(client, admin_user, police_action):
    client.force_login(admin_user)
    url = reverse("admin:actions_action_change", args=[police_action.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["lead_organisations"] = [o.pk for o in police_action.lead_organisations.all()]
    data.update(start_date="", target_date="Q1 2022")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    police_action.refresh_from_db()
    assert (police_action.start_date, police_action.target_date) == (None, date(2022, 3, 31))
    assert police_action.target_date_precision == DatePrecision.QUARTER
    assert client.get(url).context["adminform"].form["target_date"].value() == "Q1 2022"
    assert "Q1 2022" in client.get(police_action.get_absolute_url()).content.decode()

    data["target_date"] = "Quarter one"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "a quarter such as" in str(response.context["adminform"].form.errors["target_date"])


def test_an_admin_backfills_an_update_from_the_form(client, admin_user, police_action):
    Action.objects.filter(pk=police_action.pk).update(created_at=datetime(2021, 4, 1, tzinfo=LONDON))
    client.force_login(admin_user)
    url = reverse("actions:update", kwargs={"pk": police_action.pk})
    assert "When did this happen?" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "version": 1,
            "status": "completed",
            "rag": "green",
            "narrative": "Delivered in 2021.",
            "effective_on_0": "15",
            "effective_on_1": "12",
            "effective_on_2": "2021",
        },
    )
    assert response.status_code == 302
    police_action.refresh_from_db()
    assert police_action.completed_on == date(2021, 12, 15)
    update = police_action.updates.get()
    assert timezone.localdate(update.effective_at) == date(2021, 12, 15)


def test_a_lead_is_not_asked_when_it_happened(client, police_lead, police_action):
    client.force_login(police_lead)
    body = client.get(reverse("actions:update", kwargs={"pk": police_action.pk})).content.decode()
    assert "When did this happen?" not in body


def test_a_pack_as_at_a_day_in_2021_shows_the_backfilled_state(client, board_member, known, national_plan, admin_user):
    url = reverse("reviews:board_pack") + "?date=2021-09-01"
    client.force_login(board_member)
    with time_machine.travel(TODAY, tick=False):
        before = figures(client.get(url).content.decode())
        backfill_completed_2021_action(national_plan, by=admin_user, police_lead=known["1.2"].police_lead)
        after = figures(client.get(url).content.decode())
    # On 1 September 2021 it was in progress (since June): the pack as at that day counts it so.
    assert int(after["pack-t-in_progress"]) == int(before["pack-t-in_progress"]) + 1
    assert after["pack-t-completed"] == before["pack-t-completed"]


def test_an_update_dated_in_an_open_cycles_window_belongs_to_that_cycle(known, national_plan, admin_user, on_today):
    action = action_create(
        plan=national_plan,
        theme=national_plan.themes.get(number=1),
        reference="1.9",
        title="Joint ISVA referral pathway",
        side=Side.JOINT,
        target_date=date(2022, 12, 31),
        by=admin_user,
        added_at=datetime(2021, 4, 1, tzinfo=LONDON),
    )
    outside = action_update_status(
        action=action,
        by=admin_user,
        status=Status.IN_PROGRESS,
        rag=Rag.GREEN,
        narrative="Pathway design started in May.",
        expected_version=action.version,
        effective_on=date(2022, 5, 10),
    )
    inside = action_update_status(
        action=action,
        by=admin_user,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        narrative="Recruitment of the coordinators is behind.",
        expected_version=action.version,
        effective_on=date(2022, 6, 3),
    )
    # No cycle's window holds 10 May; the open cycle Q1 2022-23 takes updates from 1 to 21 June.
    assert outside.review_cycle is None
    assert inside.review_cycle == national_plan.review_cycles.get(name="Q1 2022-23")
