"""Reminders reach only people who may still read what they are about: active, allowed to read the plan
(`Plan.is_readable_by`), and only for plans in force (published): a draft or an archive reminds nobody."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from actionplan.models import User
from notifications.models import Reminder
from notifications.owed import reminders_due
from notifications.services import reminder_digest_deliver, reminders_claim, reminders_record, reminders_send
from tests.factories import ReviewCycleFactory
from themes.models import Plan

LONDON = ZoneInfo("Europe/London")
Kind = Reminder.Kind

pytestmark = pytest.mark.django_db


def sweep_on(day: date):
    with time_machine.travel(datetime(day.year, day.month, day.day, 7, 0, tzinfo=LONDON), tick=False):
        return reminders_send()


def overdue_on_29_days(action) -> None:
    action.target_date = date(2022, 7, 7)
    action.save()


@pytest.fixture
def cycle(national_plan):
    return ReviewCycleFactory(
        plan=national_plan,
        name="Q2 2022-23",
        opens_on=date(2022, 9, 19),
        updates_due_on=date(2022, 9, 30),
        board_meeting_on=date(2022, 10, 14),
    )


@pytest.mark.parametrize("status", [Plan.Status.DRAFT, Plan.Status.ARCHIVED])
def test_actions_of_a_draft_or_archived_plan_get_no_reminders(
    police_action, police_lead, national_plan, admin_user, board_member, status
):
    national_plan.admins.add(admin_user)
    national_plan.board_members.add(board_member)
    overdue_on_29_days(police_action)
    national_plan.status = status
    national_plan.save()

    sweep_on(date(2022, 8, 5))  # overdue and escalated, were the plan in force

    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_the_same_action_in_a_published_plan_is_reminded(police_action, police_lead, national_plan, admin_user):
    national_plan.admins.add(admin_user)
    overdue_on_29_days(police_action)
    sweep_on(date(2022, 8, 5))
    assert {r.recipient for r in Reminder.objects.all()} == {police_lead, admin_user}
    assert {r.kind for r in Reminder.objects.filter(recipient=admin_user)} == {Kind.ESCALATION}


@pytest.mark.parametrize("status", [Plan.Status.DRAFT, Plan.Status.ARCHIVED])
def test_review_cycles_of_a_plan_not_in_force_remind_nobody(
    cycle, police_action, police_lead, national_plan, board_member, status
):
    national_plan.board_members.add(board_member)
    national_plan.status = status
    national_plan.save()
    for day in (date(2022, 9, 16), date(2022, 9, 23), date(2022, 10, 3), date(2022, 10, 7)):
        sweep_on(day)
    assert not Reminder.objects.exists()


def test_a_board_member_whose_role_was_taken_away_gets_no_board_meeting_reminder(cycle, national_plan, board_member):
    # The reminder links to the board pack, which a person with no role may not open.
    national_plan.board_members.add(board_member)
    board_member.role = User.Role.NONE
    board_member.save()
    sweep_on(date(2022, 10, 7))
    assert not Reminder.objects.filter(recipient=board_member).exists()


def test_a_deactivated_lead_gets_nothing_and_their_co_lead_still_does(joint_action, police_lead, cps_lead):
    overdue_on_29_days(joint_action)
    police_lead.is_active = False
    police_lead.save()
    sweep_on(date(2022, 7, 8))
    assert [r.recipient for r in Reminder.objects.all()] == [cps_lead]


def test_a_plan_withdrawn_between_the_sweep_and_the_delivery_is_not_sent(police_action, police_lead, national_plan):
    overdue_on_29_days(police_action)
    with time_machine.travel(datetime(2022, 7, 8, 7, 0, tzinfo=LONDON), tick=False):
        reminders_record(dues=reminders_due(as_of=date(2022, 7, 8)), as_of=date(2022, 7, 8))
        claims = reminders_claim()
        national_plan.status = Plan.Status.DRAFT
        national_plan.save()
        for _recipient, token in claims:
            result = reminder_digest_deliver(claim=token)
    assert mail.outbox == []
    assert result.state == "failed"
    reminder = Reminder.objects.get(recipient=police_lead)
    assert reminder.state == Reminder.State.FAILED
    assert "may no longer read this plan" in reminder.last_error
