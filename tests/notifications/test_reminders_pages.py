"""The Notifications page, the reminder choices, the send_reminders command, the admin and the sweep's queries."""

from __future__ import annotations

import math
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Reminder
from notifications.owed import reminders_due
from notifications.services import reminders_send
from tests.factories import ActionFactory, PoliceLeadFactory, ReviewCycleFactory, ThemeFactory

pytestmark = pytest.mark.django_db
DAY = date(2022, 7, 8)


@pytest.fixture
def overdue(police_action):
    police_action.target_date = date(2022, 7, 7)
    police_action.save()
    return police_action


# -- Notifications page ---------------------------------------------------------------------------------------------


def test_notifications_page_lists_the_reminders_sent_to_me_only(client, overdue, police_lead, cps_lead, joint_action):
    joint_action.target_date = date(2022, 7, 7)
    joint_action.save()
    reminders_send(as_of=DAY)
    client.force_login(police_lead)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Notifications</h1>' in page
    assert page.count("Action overdue") == 2
    assert f'href="{overdue.get_absolute_url()}"' in page
    assert "1.1 Police-only action" in page
    assert "Sent</strong>" in page
    assert "8 July 2022" in page
    assert 'aria-current="page"' in page  # the Notifications entry of the navigation is marked

    client.force_login(cps_lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count("Action overdue") == 1
    assert "1.1 Police-only action" not in page


def test_notifications_page_shows_a_failed_reminder_as_not_sent_yet(client, overdue, police_lead):
    reminders_send(as_of=DAY)
    Reminder.objects.update(state=Reminder.State.FAILED, sent_at=None)
    client.force_login(police_lead)
    assert "Not sent yet" in client.get(reverse("notifications:list")).content.decode()


def test_notifications_page_shows_a_reminder_out_of_attempts_as_not_sent(settings, client, overdue, police_lead):
    reminders_send(as_of=DAY)
    Reminder.objects.update(state=Reminder.State.FAILED, sent_at=None, attempts=settings.REMINDER_MAX_ATTEMPTS)
    client.force_login(police_lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Not sent</strong>" in page
    assert "Not sent yet" not in page


def test_notifications_page_puts_the_choices_before_the_list(client, overdue, police_lead):
    reminders_send(as_of=DAY)
    client.force_login(police_lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Which optional reminders do you want by email?") < page.index("Reminders sent to you")


def test_notifications_page_with_no_reminders(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("notifications:list") + "?page=banana")
    assert response.status_code == 200
    assert "No reminders have been sent to you yet." in response.content.decode()


def test_notifications_page_warns_a_person_without_an_email_address(client, police_lead):
    police_lead.email = ""
    police_lead.save()
    client.force_login(police_lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "The service has no email address for you, so it cannot send you reminders." in page
    assert "Reminders are emailed to" not in page


def test_notifications_page_needs_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_opting_out_of_optional_reminders_shows_a_success_banner(client, police_lead):
    client.force_login(police_lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'value="due_soon" aria-describedby="optional-due-soon-hint" checked' in page
    assert "14 and 3 days before the target date" in page

    response = client.post(reverse("notifications:list"), {"optional": ["board_meeting"]}, follow=True)
    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    page = response.content.decode()
    assert "govuk-notification-banner--success" in page
    assert "Your reminder choices have been saved" in page
    assert 'value="due_soon" aria-describedby="optional-due-soon-hint">' in page
    police_lead.refresh_from_db()
    assert police_lead.wants_due_soon_reminders is False
    assert police_lead.wants_board_meeting_reminders is True

    client.post(reverse("notifications:list"), {})
    police_lead.refresh_from_db()
    assert (police_lead.wants_due_soon_reminders, police_lead.wants_board_meeting_reminders) == (False, False)


def test_an_unknown_choice_is_a_field_error_and_changes_nothing(client, police_lead):
    client.force_login(police_lead)
    response = client.post(reverse("notifications:list"), {"optional": ["overdue"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select only the reminders listed" in page
    police_lead.refresh_from_db()
    assert police_lead.wants_due_soon_reminders is True


def test_admin_lists_reminders_read_only(client, admin_user, overdue):
    reminders_send(as_of=DAY)
    client.force_login(admin_user)
    assert client.get(reverse("admin:notifications_reminder_changelist")).status_code == 200
    reminder = Reminder.objects.get()
    assert client.get(reverse("admin:notifications_reminder_change", args=[reminder.pk])).status_code == 200
    assert client.get(reverse("admin:notifications_reminder_add")).status_code == 403
    delete = reverse("admin:notifications_reminder_delete", args=[reminder.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Reminder.objects.count() == 1


# -- Command ------------------------------------------------------------------------------------------------------


def test_command_sends_and_prints_what_it_sent(overdue, police_lead):
    out = StringIO()
    call_command("send_reminders", "--as-of", "2022-07-08", stdout=out)
    assert "Sent to Paula Police <police.lead@example.org>: 1 action overdue" in out.getvalue()
    assert "2022-07-08: 1 digest sent, 0 failed, 1 new reminder recorded." in out.getvalue()
    assert len(mail.outbox) == 1

    out = StringIO()
    call_command("send_reminders", "--as-of", "2022-07-08", stdout=out)
    assert out.getvalue() == "2022-07-08: 0 digests sent, 0 failed, 0 new reminders recorded.\n"
    assert len(mail.outbox) == 1


def test_command_dry_run_prints_and_records_nothing(overdue):
    out = StringIO()
    call_command("send_reminders", "--as-of", "2022-07-08", "--dry-run", stdout=out)
    assert "Would send to Paula Police <police.lead@example.org>: 1 action overdue" in out.getvalue()
    assert "2022-07-08: 1 digest would be sent." in out.getvalue()
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_command_fails_when_a_digest_fails_and_a_later_run_sends_it(settings, overdue, police_lead):
    from tests.notifications.test_reminders_delivery import FailingBackend

    settings.EMAIL_BACKEND = "tests.notifications.test_reminders_delivery.FailingBackend"
    FailingBackend.failures_left = 1
    out, err = StringIO(), StringIO()
    try:
        with pytest.raises(CommandError, match="1 digest failed; they are sent again by a later run after 30 minutes"):
            call_command("send_reminders", "--as-of", "2022-07-08", stdout=out, stderr=err)
    finally:
        FailingBackend.failures_left = 0
    assert (
        "Failed to Paula Police <police.lead@example.org>: 1 action overdue (SMTPServerDisconnected" in err.getvalue()
    )
    assert "2022-07-08: 0 digests sent, 1 failed, 1 new reminder recorded." in out.getvalue()
    assert Reminder.objects.get().state == Reminder.State.FAILED

    Reminder.objects.update(claimed_at=F("claimed_at") - timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES + 1))
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--as-of", "2022-07-08", stdout=out)
    assert "Would send to Paula Police <police.lead@example.org>: 1 action overdue" in out.getvalue()
    assert "2022-07-08: 1 digest would be sent." in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--as-of", "2022-07-08", stdout=out)
    assert "2022-07-08: 1 digest sent, 0 failed, 0 new reminders recorded." in out.getvalue()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("bad", ["2022-13-01", "yesterday", "08/07/2022", "20220708", "2022-W27-5", "2022-7-8"])
def test_command_refuses_a_bad_date(bad):
    with pytest.raises(CommandError, match="--as-of must be a date written YYYY-MM-DD"):
        call_command("send_reminders", "--as-of", bad)
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REMINDER_OVERDUE_REPEAT_DAYS", 0),
        ("REMINDER_DUE_SOON_DAYS", [14, -3]),
        ("REMINDER_UPDATE_DUE_DAYS", "7,2"),
        ("REMINDER_ESCALATION_DAYS", -1),
        ("REMINDER_CLAIM_TIMEOUT_MINUTES", 0),
    ],
)
def test_command_refuses_periods_that_make_no_sense(settings, overdue, name, value):
    setattr(settings, name, value)
    with pytest.raises(CommandError, match=f"{name} must be"):
        call_command("send_reminders", "--as-of", "2022-07-08")
    assert not Reminder.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("far", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_command_refuses_a_date_outside_the_century(far):
    with pytest.raises(CommandError, match="--as-of must be between 2000-01-01 and 2099-12-31"):
        call_command("send_reminders", "--dry-run", "--as-of", far)


# -- Queries ------------------------------------------------------------------------------------------------------


def build_plan_with_leads(national_plan, *, leads: int, actions_per_lead: int, board_member):
    """Actions overdue, due soon and escalated, and a cycle with an update due, for `leads` police leads."""
    national_plan.board_members.add(board_member)
    ReviewCycleFactory(
        plan=national_plan,
        opens_on=date(2022, 9, 12),
        updates_due_on=date(2022, 9, 30),
        board_meeting_on=date(2022, 9, 30),
    )
    theme = ThemeFactory(plan=national_plan, number=6 + leads)
    targets = [date(2022, 7, 1), date(2022, 8, 31), date(2022, 9, 14), date(2022, 10, 7)]
    for n in range(leads):
        lead = PoliceLeadFactory()
        for m in range(actions_per_lead):
            ActionFactory(
                theme=theme,
                reference=f"{leads}.{n}.{m}",
                side="police",
                police_lead=lead,
                target_date=targets[m % len(targets)],
            )


def insert_statements(rows: int) -> int:
    """INSERTs the database needs for `rows` reminders: one on PostgreSQL; SQLite caps the parameters of one."""
    fields = [f for f in Reminder._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    return math.ceil(rows / batch)


@pytest.mark.parametrize("leads,actions_per_lead", [(3, 4), (3, 40)])
def test_sweep_queries_grow_with_people_not_actions(
    national_plan, board_member, django_assert_max_num_queries, leads, actions_per_lead
):
    build_plan_with_leads(national_plan, leads=leads, actions_per_lead=actions_per_lead, board_member=board_member)
    rows = len(reminders_due(as_of=date(2022, 9, 23)))
    # 10 to work out what is due and record it, then per person: claim 1, take 1, read 1, actions to update 1,
    # mark sent 1.
    people = leads + 1
    with django_assert_max_num_queries(10 + insert_statements(rows) + 5 * people):
        result = reminders_send(as_of=date(2022, 9, 23))
    assert len(result.digests) == people
    assert Reminder.objects.filter(state=Reminder.State.SENT).count() == rows


def test_sweep_makes_the_same_queries_for_ten_times_the_actions(national_plan, board_member):
    build_plan_with_leads(national_plan, leads=2, actions_per_lead=3, board_member=board_member)
    with CaptureQueriesContext(connection) as few:
        reminders_send(as_of=date(2022, 9, 23))
    Reminder.objects.all().delete()
    mail.outbox.clear()
    for action in national_plan.actions.all():
        for m in range(9):
            ActionFactory(
                theme=action.theme,
                reference=f"{action.reference}.{m}",
                side="police",
                police_lead=action.police_lead,
                target_date=action.target_date - timedelta(days=m % 2),
            )
    assert national_plan.actions.count() == 60
    with CaptureQueriesContext(connection) as many:
        reminders_send(as_of=date(2022, 9, 23))

    def reads_and_updates(context):
        return [q for q in context.captured_queries if not q["sql"].startswith("INSERT")]

    assert len(reads_and_updates(many)) == len(reads_and_updates(few))
    inserts = [q for q in many.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == insert_statements(Reminder.objects.count())


def test_command_dry_run_after_a_run_would_send_nothing(overdue):
    call_command("send_reminders", "--as-of", "2022-07-08", stdout=StringIO())
    out = StringIO()
    call_command("send_reminders", "--as-of", "2022-07-08", "--dry-run", stdout=out)
    assert out.getvalue() == "2022-07-08: 0 digests would be sent.\n"
    assert len(mail.outbox) == 1
