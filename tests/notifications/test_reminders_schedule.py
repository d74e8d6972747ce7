"""When each kind of reminder goes, to whom, and that it goes once: days before, on and after, weekends, bank
holidays, revised dates, completed actions, opt-outs. Calendar facts used: 2 and 3 June 2022 (Platinum Jubilee),
29 August 2022 and 19 September 2022 are England and Wales bank holidays."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from actionplan.working_days import working_day_on_or_after, working_day_on_or_before
from actions.models import Status
from notifications.models import Reminder
from notifications.services import reminders_send
from tests.factories import ReviewCycleFactory, StatusUpdateFactory

LONDON = ZoneInfo("Europe/London")
Kind = Reminder.Kind


def sweep_on(day: date, hour: int = 7):
    """Run the sweep as beat would: at 07:00 London time on `day`, with no date given."""
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON), tick=False):
        return reminders_send()


def kinds_for(user) -> list[tuple[str, str]]:
    return sorted(Reminder.objects.filter(recipient=user).values_list("kind", "occasion"))


def emails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def set_target(action, target: date, *, revised: date | None = None) -> None:
    action.target_date = target
    action.revised_target_date = revised
    action.revision_reason = "Delayed by the inspection" if revised else ""
    action.save()


pytestmark = pytest.mark.django_db


# -- Working days -------------------------------------------------------------------------------------------------


def test_working_days_skip_weekends_and_bank_holidays():
    assert working_day_on_or_before(date(2022, 6, 26)) == date(2022, 6, 24)  # Sunday -> Friday
    assert working_day_on_or_before(date(2022, 6, 3)) == date(2022, 6, 1)  # Jubilee Thursday and Friday
    assert working_day_on_or_after(date(2022, 8, 27)) == date(2022, 8, 30)  # Saturday, Sunday, bank holiday
    assert working_day_on_or_before(date(2022, 6, 15)) == date(2022, 6, 15)


# -- Due soon -------------------------------------------------------------------------------------------------------


def test_due_soon_goes_14_days_before_not_the_day_before_nor_again_the_day_after(police_action, police_lead):
    set_target(police_action, date(2022, 6, 29))  # a Wednesday; 14 days before is Wednesday 15 June

    sweep_on(date(2022, 6, 14))
    assert kinds_for(police_lead) == []
    assert mail.outbox == []

    sweep_on(date(2022, 6, 15))
    assert kinds_for(police_lead) == [(Kind.DUE_SOON, "2022-06-29-14")]
    assert len(emails_to(police_lead)) == 1
    assert "1 action due soon" in emails_to(police_lead)[0].subject

    sweep_on(date(2022, 6, 16))
    assert len(mail.outbox) == 1


def test_due_soon_three_days_before_on_a_sunday_goes_on_the_friday(police_action, police_lead):
    set_target(police_action, date(2022, 6, 29))  # 3 days before is Sunday 26 June
    sweep_on(date(2022, 6, 15))
    sweep_on(date(2022, 6, 23))
    assert len(mail.outbox) == 1

    sweep_on(date(2022, 6, 24))
    assert kinds_for(police_lead) == [(Kind.DUE_SOON, "2022-06-29-14"), (Kind.DUE_SOON, "2022-06-29-3")]
    assert len(mail.outbox) == 2

    sweep_on(date(2022, 6, 25))
    sweep_on(date(2022, 6, 26))
    assert len(mail.outbox) == 2


def test_due_soon_on_a_bank_holiday_goes_on_the_working_day_before(police_action, police_lead):
    set_target(police_action, date(2022, 6, 17))  # 14 days before is Friday 3 June, a bank holiday, as is the 2nd
    sweep_on(date(2022, 5, 31))
    assert mail.outbox == []
    sweep_on(date(2022, 6, 1))
    assert kinds_for(police_lead) == [(Kind.DUE_SOON, "2022-06-17-14")]


def test_a_missed_day_is_caught_up_the_next_day_once(police_action, police_lead):
    set_target(police_action, date(2022, 6, 29))
    # No sweep on 15 June (the worker was down).
    sweep_on(date(2022, 6, 16))
    sweep_on(date(2022, 6, 17))
    assert kinds_for(police_lead) == [(Kind.DUE_SOON, "2022-06-29-14")]
    assert len(mail.outbox) == 1


def test_only_the_latest_due_soon_reminder_is_caught_up(police_action, police_lead):
    set_target(police_action, date(2022, 6, 29))
    sweep_on(date(2022, 6, 27))  # both the 14-day and the 3-day reminder days have passed unseen
    assert kinds_for(police_lead) == [(Kind.DUE_SOON, "2022-06-29-3")]


def test_due_soon_follows_the_revised_target_date(police_action, police_lead):
    set_target(police_action, date(2022, 6, 29), revised=date(2022, 7, 13))
    sweep_on(date(2022, 6, 15))
    assert kinds_for(police_lead) == []
    sweep_on(date(2022, 6, 29))
    assert kinds_for(police_lead) == [(Kind.DUE_SOON, "2022-07-13-14")]
    sweep_on(date(2022, 6, 30))  # past the original date but not the revised one: not overdue
    assert [kind for kind, _ in kinds_for(police_lead)] == [Kind.DUE_SOON]


def test_a_revised_date_is_reminded_again(police_action, police_lead):
    set_target(police_action, date(2022, 6, 29))
    sweep_on(date(2022, 6, 15))
    set_target(police_action, date(2022, 6, 29), revised=date(2022, 7, 29))
    sweep_on(date(2022, 7, 15))
    assert kinds_for(police_lead) == [(Kind.DUE_SOON, "2022-06-29-14"), (Kind.DUE_SOON, "2022-07-29-14")]


def test_person_who_opted_out_gets_no_due_soon_but_still_gets_overdue(police_action, police_lead):
    police_lead.wants_due_soon_reminders = False
    police_lead.save()
    set_target(police_action, date(2022, 7, 7))
    sweep_on(date(2022, 6, 23))
    sweep_on(date(2022, 7, 4))
    assert kinds_for(police_lead) == []
    sweep_on(date(2022, 7, 8))
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-07-07+1")]


def test_both_leads_of_a_joint_action_are_reminded(joint_action, police_lead, cps_lead):
    set_target(joint_action, date(2022, 6, 29))
    sweep_on(date(2022, 6, 15))
    assert len(emails_to(police_lead)) == 1
    assert len(emails_to(cps_lead)) == 1


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.CLOSED])
def test_completed_or_closed_actions_are_never_reminded(police_action, police_lead, status):
    set_target(police_action, date(2022, 6, 29))
    police_action.status = status
    police_action.completed_on = date(2022, 6, 1) if status == Status.COMPLETED else None
    police_action.closure_reason = "withdrawn" if status == Status.CLOSED else ""
    police_action.save()
    for day in (date(2022, 6, 15), date(2022, 6, 30), date(2022, 8, 15)):
        sweep_on(day)
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_inactive_people_and_people_without_an_email_are_not_reminded(police_action, police_lead):
    set_target(police_action, date(2022, 6, 29))
    police_lead.email = ""
    police_lead.save()
    sweep_on(date(2022, 6, 15))
    assert mail.outbox == []


# -- Overdue and escalation ---------------------------------------------------------------------------------------


def test_overdue_goes_the_day_after_the_target_then_weekly(police_action, police_lead):
    set_target(police_action, date(2022, 7, 7))  # Thursday
    police_lead.wants_due_soon_reminders = False
    police_lead.save()
    sweep_on(date(2022, 7, 7))
    assert kinds_for(police_lead) == []
    sweep_on(date(2022, 7, 8))
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-07-07+1")]
    for day in range(9, 15):
        sweep_on(date(2022, 7, day))
    assert len(mail.outbox) == 1
    sweep_on(date(2022, 7, 15))
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-07-07+1"), (Kind.OVERDUE, "2022-07-07+8")]
    assert "1 action overdue" in mail.outbox[-1].subject


def test_overdue_falling_on_a_weekend_goes_on_the_next_working_day(police_action, police_lead):
    set_target(police_action, date(2022, 7, 1))  # Friday: the first overdue day is Saturday
    sweep_on(date(2022, 7, 2))
    sweep_on(date(2022, 7, 3))
    assert mail.outbox == []
    sweep_on(date(2022, 7, 4))
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-07-01+1")]


def test_overdue_falling_on_a_bank_holiday_weekend_goes_on_the_tuesday(police_action, police_lead):
    set_target(police_action, date(2022, 8, 26))  # Friday before the summer bank holiday
    sweep_on(date(2022, 8, 29))
    assert mail.outbox == []
    sweep_on(date(2022, 8, 30))
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-08-26+1")]


def test_overdue_repeats_weekly_from_the_day_the_first_went(police_action, police_lead):
    set_target(police_action, date(2022, 7, 1))  # Friday: the first overdue day is Saturday, sent on Monday 4 July
    sweep_on(date(2022, 7, 4))
    for day in (7, 8, 9, 10):  # not four days later on the Friday before the nominal +8 (a Saturday)
        sweep_on(date(2022, 7, day))
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-07-01+1")]
    sweep_on(date(2022, 7, 11))  # a week after the first
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-07-01+1"), (Kind.OVERDUE, "2022-07-01+10")]
    assert "overdue by 10 days" in mail.outbox[-1].body
    sweep_on(date(2022, 7, 18))
    assert (Kind.OVERDUE, "2022-07-01+17") in kinds_for(police_lead)
    assert len(mail.outbox) == 3


def test_an_overdue_repeat_on_a_bank_holiday_goes_on_the_working_day_before(police_action, police_lead):
    set_target(police_action, date(2022, 8, 21))  # Sunday: first overdue reminder Monday 22 August
    sweep_on(date(2022, 8, 22))
    sweep_on(date(2022, 8, 25))
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-08-21+1")]
    sweep_on(date(2022, 8, 26))  # the repeat's day, Monday 29 August, is the summer bank holiday: the Friday before
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-08-21+1"), (Kind.OVERDUE, "2022-08-21+8")]
    assert "overdue by 5 days" in mail.outbox[-1].body
    sweep_on(date(2022, 8, 29))
    sweep_on(date(2022, 8, 30))
    assert len(mail.outbox) == 2
    sweep_on(date(2022, 9, 5))
    assert (Kind.OVERDUE, "2022-08-21+15") in kinds_for(police_lead)
    assert len(mail.outbox) == 3


def test_escalation_after_28_days_goes_to_the_plans_admins_and_board_once(
    police_action, police_lead, national_plan, admin_user, board_member
):
    national_plan.admins.add(admin_user)
    national_plan.board_members.add(board_member)
    set_target(police_action, date(2022, 7, 7))
    sweep_on(date(2022, 8, 4))  # 28 days overdue: not yet
    assert kinds_for(admin_user) == []
    assert kinds_for(board_member) == []

    sweep_on(date(2022, 8, 5))  # 29 days overdue
    assert kinds_for(admin_user) == [(Kind.ESCALATION, "2022-07-07+29")]
    assert kinds_for(board_member) == [(Kind.ESCALATION, "2022-07-07+29")]
    assert Kind.ESCALATION not in [k for k, _ in kinds_for(police_lead)]
    assert "1 action overdue for over 28 days" in emails_to(admin_user)[0].subject

    sweep_on(date(2022, 8, 12))
    assert len(emails_to(admin_user)) == 1


def test_no_escalation_after_completion(police_action, national_plan, admin_user):
    national_plan.admins.add(admin_user)
    set_target(police_action, date(2022, 7, 7))
    police_action.status = Status.COMPLETED
    police_action.completed_on = date(2022, 8, 1)
    police_action.save()
    sweep_on(date(2022, 8, 5))
    assert kinds_for(admin_user) == []


# -- Review cycles ------------------------------------------------------------------------------------------------


@pytest.fixture
def cycle(national_plan):
    # Opens Monday 19 September 2022 (a bank holiday), updates due Friday 30 September, board Friday 14 October.
    return ReviewCycleFactory(
        plan=national_plan,
        name="Q2 2022-23",
        opens_on=date(2022, 9, 19),
        updates_due_on=date(2022, 9, 30),
        board_meeting_on=date(2022, 10, 14),
    )


def test_cycle_opening_reaches_leads_with_open_actions_on_the_working_day_before_a_bank_holiday(
    cycle, police_action, joint_action, police_lead, cps_lead, outsider
):
    set_target(police_action, date(2023, 3, 31))
    set_target(joint_action, date(2023, 3, 31))
    sweep_on(date(2022, 9, 15))
    assert mail.outbox == []
    sweep_on(date(2022, 9, 16))  # Friday before the bank holiday Monday
    assert kinds_for(police_lead) == [(Kind.CYCLE_OPENS, "2022-09-19+0")]
    assert kinds_for(cps_lead) == [(Kind.CYCLE_OPENS, "2022-09-19+0")]
    assert len(emails_to(police_lead)) == 1  # one email although the police lead has two actions
    sweep_on(date(2022, 9, 20))
    assert len(mail.outbox) == 2
    assert kinds_for(outsider) == []


def test_update_due_7_and_2_days_before_then_overdue_to_leads_without_an_update(
    cycle, police_action, joint_action, police_lead, cps_lead
):
    set_target(police_action, date(2023, 3, 31))
    set_target(joint_action, date(2023, 3, 31))
    # The CPS lead's only action has its update in this cycle; the police lead's police-only action has none.
    StatusUpdateFactory(action=joint_action, author=cps_lead, review_cycle=cycle)

    sweep_on(date(2022, 9, 22))
    assert Kind.UPDATE_DUE not in [k for k, _ in kinds_for(police_lead)]
    sweep_on(date(2022, 9, 23))  # 7 days before
    sweep_on(date(2022, 9, 28))  # 2 days before
    sweep_on(date(2022, 9, 30))  # the deadline itself: nothing new
    assert [o for k, o in kinds_for(police_lead) if k == Kind.UPDATE_DUE] == ["2022-09-30-2", "2022-09-30-7"]
    assert [k for k, _ in kinds_for(cps_lead) if k in (Kind.UPDATE_DUE, Kind.UPDATE_OVERDUE)] == []

    sweep_on(date(2022, 10, 1))  # Saturday: update overdue waits for Monday
    assert Kind.UPDATE_OVERDUE not in [k for k, _ in kinds_for(police_lead)]
    sweep_on(date(2022, 10, 3))
    assert (Kind.UPDATE_OVERDUE, "2022-09-30+1") in kinds_for(police_lead)
    assert "1 update overdue" in emails_to(police_lead)[-1].subject


def test_update_due_stops_when_the_lead_has_updated(cycle, police_action, police_lead):
    set_target(police_action, date(2023, 3, 31))
    sweep_on(date(2022, 9, 23))
    StatusUpdateFactory(action=police_action, author=police_lead, review_cycle=cycle)
    sweep_on(date(2022, 9, 28))
    sweep_on(date(2022, 10, 3))
    assert [o for k, o in kinds_for(police_lead) if k in (Kind.UPDATE_DUE, Kind.UPDATE_OVERDUE)] == ["2022-09-30-7"]


def test_closed_cycle_sends_no_update_reminders(cycle, police_action, police_lead):
    set_target(police_action, date(2023, 3, 31))
    cycle.state = cycle.State.CLOSED
    cycle.save()
    sweep_on(date(2022, 9, 23))
    sweep_on(date(2022, 10, 3))
    assert kinds_for(police_lead) == []


def test_board_meeting_reminder_goes_7_days_before_to_board_members_who_want_it(
    cycle, national_plan, board_member, admin_user
):
    national_plan.board_members.add(board_member, admin_user)
    admin_user.wants_board_meeting_reminders = False
    admin_user.save()
    sweep_on(date(2022, 10, 6))
    assert kinds_for(board_member) == []
    sweep_on(date(2022, 10, 7))
    assert kinds_for(board_member) == [(Kind.BOARD_MEETING, "2022-10-14-7")]
    assert kinds_for(admin_user) == []
    sweep_on(date(2022, 10, 8))
    assert len(emails_to(board_member)) == 1
    assert emails_to(board_member)[0].subject.startswith("1 board meeting coming")


# -- Running twice ------------------------------------------------------------------------------------------------


def test_running_the_sweep_twice_sends_nothing_twice(
    cycle, police_action, joint_action, police_lead, cps_lead, national_plan, board_member
):
    national_plan.board_members.add(board_member)
    set_target(police_action, date(2022, 9, 1))
    set_target(joint_action, date(2022, 10, 21))
    first = sweep_on(date(2022, 10, 7))
    second = sweep_on(date(2022, 10, 7), hour=9)
    assert len(first.digests) == 3
    assert second.digests == []
    assert second.recorded == 0
    assert len(mail.outbox) == 3
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


# -- Europe/London, and every period a setting ---------------------------------------------------------------------


def test_a_sweep_past_the_known_bank_holidays_warns(caplog):
    with caplog.at_level("WARNING", logger="notifications.services"):
        reminders_send(as_of=date(2040, 1, 2), dry_run=True)
    assert "No bank holiday dates for 2040" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="notifications.services"):
        reminders_send(as_of=date(2022, 7, 8), dry_run=True)
    assert caplog.text == ""


def test_the_day_is_judged_in_london_whatever_the_server_time_zone(settings, police_action, police_lead):
    settings.TIME_ZONE = "UTC"
    set_target(police_action, date(2022, 7, 7))
    # 23:30 UTC on 7 July is 00:30 on 8 July in London (BST): the first overdue day.
    with time_machine.travel(datetime(2022, 7, 7, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        result = reminders_send()
    assert result.as_of == date(2022, 7, 8)
    assert kinds_for(police_lead) == [(Kind.OVERDUE, "2022-07-07+1")]


def test_every_period_is_a_setting(
    settings, cycle, police_action, police_lead, national_plan, admin_user, board_member
):
    settings.REMINDER_DUE_SOON_DAYS = [10]
    settings.REMINDER_OVERDUE_REPEAT_DAYS = 14
    settings.REMINDER_ESCALATION_DAYS = 20
    settings.REMINDER_UPDATE_DUE_DAYS = [4]
    settings.REMINDER_BOARD_MEETING_DAYS = 3
    national_plan.admins.add(admin_user)
    national_plan.board_members.add(board_member)
    set_target(police_action, date(2022, 7, 7))  # Thursday

    def occasions(user, kind):
        return [occasion for k, occasion in kinds_for(user) if k == kind]

    sweep_on(date(2022, 6, 24))  # 13 days before: the default 14 would be due, 10 is not
    assert occasions(police_lead, Kind.DUE_SOON) == []
    sweep_on(date(2022, 6, 27))
    assert occasions(police_lead, Kind.DUE_SOON) == ["2022-07-07-10"]

    sweep_on(date(2022, 7, 8))
    sweep_on(date(2022, 7, 15))  # a week on: the repeat is every 14 days
    assert occasions(police_lead, Kind.OVERDUE) == ["2022-07-07+1"]
    sweep_on(date(2022, 7, 22))
    assert occasions(police_lead, Kind.OVERDUE) == ["2022-07-07+1", "2022-07-07+15"]

    sweep_on(date(2022, 7, 27))  # 20 days overdue: not more than 20 yet
    assert occasions(admin_user, Kind.ESCALATION) == []
    sweep_on(date(2022, 7, 28))
    assert occasions(admin_user, Kind.ESCALATION) == ["2022-07-07+21"]

    sweep_on(date(2022, 9, 23))  # 7 days before the deadline: the default, not the setting
    assert occasions(police_lead, Kind.UPDATE_DUE) == []
    sweep_on(date(2022, 9, 26))
    assert occasions(police_lead, Kind.UPDATE_DUE) == ["2022-09-30-4"]

    sweep_on(date(2022, 10, 10))
    assert occasions(board_member, Kind.BOARD_MEETING) == []
    sweep_on(date(2022, 10, 11))
    assert occasions(board_member, Kind.BOARD_MEETING) == ["2022-10-14-3"]
