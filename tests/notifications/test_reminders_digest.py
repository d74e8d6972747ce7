"""The digest: one email per person per sweep, grouped by kind, with absolute links, in text and HTML."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from notifications.digests import digest_subject
from notifications.models import Reminder
from notifications.services import reminders_send
from tests.factories import ActionFactory, ReviewCycleFactory

pytestmark = pytest.mark.django_db
Kind = Reminder.Kind


def test_subject_says_what_is_inside():
    assert digest_subject([Kind.OVERDUE, Kind.UPDATE_DUE, Kind.OVERDUE]) == "2 actions overdue, 1 update due"
    assert digest_subject([Kind.DUE_SOON]) == "1 action due soon"
    assert digest_subject([Kind.BOARD_MEETING, Kind.ESCALATION, Kind.ESCALATION]) == (
        "2 actions overdue for over 28 days, 1 board meeting coming"
    )


@pytest.fixture
def busy_lead_day(national_plan, police_lead, police_action, joint_action):
    """On Friday 23 September 2022 the police lead has two actions overdue, one due soon and an update due."""
    police_action.target_date = date(2022, 9, 1)
    police_action.save()
    joint_action.target_date = date(2022, 9, 15)
    joint_action.save()
    soon = ActionFactory(
        theme=national_plan.themes.get(number=3),
        reference="3.1",
        title="Privacy guidance",
        side="police",
        police_lead=police_lead,
        target_date=date(2022, 10, 7),
    )
    cycle = ReviewCycleFactory(
        plan=national_plan,
        name="Q2 2022-23",
        opens_on=date(2022, 9, 12),
        updates_due_on=date(2022, 9, 30),
        board_meeting_on=date(2022, 10, 14),
    )
    return {"soon": soon, "cycle": cycle, "day": date(2022, 9, 23)}


def test_one_email_lists_everything_due_grouped_by_kind_with_absolute_links(
    busy_lead_day, police_lead, police_action, joint_action
):
    reminders_send(as_of=busy_lead_day["day"])

    to_lead = [m for m in mail.outbox if m.to == [police_lead.email]]
    assert len(to_lead) == 1
    message = to_lead[0]
    assert message.subject == "2 actions overdue, 1 update due, 1 action due soon: RASSO joint action plan"

    text = message.body
    assert text.index("YOUR ACTIONS THAT ARE OVERDUE") < text.index("UPDATES DUE") < text.index("YOUR ACTIONS DUE SOON")
    assert f"http://testserver{reverse('actions:detail', kwargs={'pk': police_action.pk})}" in text
    assert f"http://testserver{reverse('actions:detail', kwargs={'pk': joint_action.pk})}" in text
    assert f"http://testserver{reverse('reviews:detail', kwargs={'pk': busy_lead_day['cycle'].pk})}" in text
    assert "Target date: 1 September 2022, overdue by 22 days." in text
    assert "Target date: 7 October 2022, due in 14 days." in text
    assert "Updates are due by 30 September 2022." in text
    assert "http://testserver/notifications/" in text
    assert "&amp;" not in text  # plain text is not HTML-escaped

    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en-GB">' in html
    assert "<h2>Your actions that are overdue</h2>" in html
    assert f'<a href="http://testserver{police_action.get_absolute_url()}">1.1 Police-only action</a>' in html
    assert "<h2>Updates due</h2>" in html


def test_the_cps_lead_gets_only_what_concerns_them(busy_lead_day, cps_lead):
    reminders_send(as_of=busy_lead_day["day"])
    to_cps = [m for m in mail.outbox if m.to == [cps_lead.email]]
    assert len(to_cps) == 1
    assert to_cps[0].subject.startswith("1 action overdue, 1 update due:")
    assert "Privacy guidance" not in to_cps[0].body


def test_escalation_names_the_plan_and_leads(national_plan, admin_user, joint_action):
    national_plan.admins.add(admin_user)
    joint_action.target_date = date(2022, 7, 7)
    joint_action.save()
    reminders_send(as_of=date(2022, 8, 5))
    (message,) = [m for m in mail.outbox if m.to == [admin_user.email]]
    assert "ACTIONS OVERDUE FOR MORE THAN 28 DAYS" in message.body
    assert "Plan: Joint national action plan. Leads: Paula Police, Carl Crown." in message.body
    assert "overdue by 29 days" in message.body


def test_board_meeting_links_to_the_board_pack(national_plan, board_member):
    national_plan.board_members.add(board_member)
    cycle = ReviewCycleFactory(
        plan=national_plan,
        name="Q2 2022-23",
        opens_on=date(2022, 9, 12),
        updates_due_on=date(2022, 9, 30),
        board_meeting_on=date(2022, 10, 14),
    )
    reminders_send(as_of=date(2022, 10, 7))
    (message,) = mail.outbox
    assert "The board meets on 14 October 2022." in message.body
    pack = f"http://testserver{reverse('reviews:board_pack')}?plan={national_plan.slug}&cycle={cycle.pk}"
    assert pack in message.body
    assert pack.replace("&", "&amp;") in message.alternatives[0][0]
