"""Exactly once: claims, failures and their retries, crashed workers, and the Celery tasks' behaviour."""

from __future__ import annotations

from datetime import date, timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from notifications.models import Reminder
from notifications.owed import reminders_due
from notifications.services import (
    ReminderSendFailed,
    reminder_digest_deliver,
    reminders_claim,
    reminders_record,
    reminders_resume,
    reminders_send,
)
from notifications.tasks import reminders_deliver, reminders_sweep

pytestmark = pytest.mark.django_db
State = Reminder.State
DAY = date(2022, 7, 8)  # the day after the police action's target date: an overdue reminder is due


class FailingBackend(LocmemBackend):
    """An SMTP server that hangs up, a set number of times, then accepts."""

    failures_left = 0

    def send_messages(self, messages):
        if FailingBackend.failures_left:
            FailingBackend.failures_left -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def overdue(police_action):
    police_action.target_date = date(2022, 7, 7)
    police_action.save()
    return police_action


@pytest.fixture
def failing_smtp(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_reminders_delivery.FailingBackend"

    def fail(times: int) -> None:
        FailingBackend.failures_left = times

    yield fail
    FailingBackend.failures_left = 0


def record_and_claim(day: date = DAY):
    reminders_record(dues=reminders_due(as_of=day), as_of=day)
    return reminders_claim()


def test_a_failed_send_is_recorded_with_its_error_and_sent_by_the_retry(overdue, police_lead, failing_smtp):
    failing_smtp(1)
    result = reminders_send(as_of=DAY)
    assert [d.state for d in result.digests] == ["failed"]
    reminder = Reminder.objects.get()
    assert reminder.state == State.FAILED
    assert reminder.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert reminder.attempts == 1
    assert mail.outbox == []

    outcome = reminder_digest_deliver(claim=reminder.claim)
    assert outcome.state == "sent"
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts, reminder.last_error) == (State.SENT, 2, "")
    assert reminder.sent_at is not None
    assert len(mail.outbox) == 1


def test_delivering_the_same_claim_twice_sends_once(overdue):
    [(_, claim)] = record_and_claim()
    assert reminder_digest_deliver(claim=claim).state == "sent"
    assert reminder_digest_deliver(claim=claim) is None
    assert len(mail.outbox) == 1


def test_a_claim_taken_over_by_a_later_sweep_is_not_sent_by_the_old_retry(overdue, failing_smtp, settings):
    failing_smtp(1)
    [(_, old_claim)] = record_and_claim()
    with pytest.raises(ReminderSendFailed):
        reminder_digest_deliver(claim=old_claim, raise_errors=True)
    # Past the claim timeout, a sweep takes the failed reminder over under a new claim and sends it.
    Reminder.objects.update(claimed_at=timezone.now() - timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES + 1))
    result = reminders_resume()
    assert [d.state for d in result.digests] == ["sent"]
    # The first claim's retry then finds nothing of its own left to send.
    assert reminder_digest_deliver(claim=old_claim) is None
    assert len(mail.outbox) == 1


def test_a_reminder_left_sending_by_a_crashed_worker_is_sent_after_the_timeout(overdue, settings):
    [(_, claim)] = record_and_claim()
    # The worker took the claim and died before reporting back.
    Reminder.objects.filter(claim=claim).update(state=State.SENDING, attempts=1)
    assert reminders_resume().digests == []  # not yet: it may still be sending
    assert mail.outbox == []

    Reminder.objects.update(claimed_at=timezone.now() - timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES + 1))
    result = reminders_resume()
    assert [d.state for d in result.digests] == ["sent"]
    assert len(mail.outbox) == 1
    reminder = Reminder.objects.get()
    assert (reminder.state, reminder.attempts) == (State.SENT, 2)
    assert reminder.claim != claim


def test_a_reminder_recorded_but_never_claimed_is_sent_by_the_next_run(overdue):
    reminders_record(dues=reminders_due(as_of=DAY), as_of=DAY)  # the sweep stopped here
    assert Reminder.objects.get().state == State.PENDING
    assert [d.state for d in reminders_resume().digests] == ["sent"]
    assert len(mail.outbox) == 1


def test_attempts_stop_at_the_maximum(overdue, failing_smtp, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    failing_smtp(10)
    [(_, claim)] = record_and_claim()
    assert reminder_digest_deliver(claim=claim).state == "failed"
    assert reminder_digest_deliver(claim=claim).state == "failed"
    assert reminder_digest_deliver(claim=claim) is None
    Reminder.objects.update(claimed_at=timezone.now() - timedelta(days=1))
    assert reminders_resume().digests == []
    assert Reminder.objects.get().attempts == 2


def test_delivery_task_retries_with_backoff_until_the_send_works(overdue, failing_smtp):
    failing_smtp(2)
    [(_, claim)] = record_and_claim()
    # apply() runs the task and its retries here and now, without the countdowns.
    reminders_deliver.apply(args=[str(claim)])
    reminder = Reminder.objects.get()
    assert (reminder.state, reminder.attempts) == (State.SENT, 3)
    assert len(mail.outbox) == 1
    assert reminders_deliver.retry_backoff == 30
    assert reminders_deliver.retry_backoff_max <= 600
    assert reminders_deliver.max_retries == 4


def test_delivery_task_gives_up_leaving_the_reminder_failed(overdue, failing_smtp):
    failing_smtp(100)
    [(_, claim)] = record_and_claim()
    result = reminders_deliver.apply(args=[str(claim)])
    assert isinstance(result.result, ReminderSendFailed)
    reminder = Reminder.objects.get()
    assert (reminder.state, reminder.attempts) == (State.FAILED, 5)
    assert mail.outbox == []


def test_sweep_task_queues_one_delivery_per_person(
    overdue, joint_action, monkeypatch, django_capture_on_commit_callbacks
):
    joint_action.target_date = date(2022, 7, 7)
    joint_action.save()
    queued = []
    monkeypatch.setattr(reminders_deliver, "delay", lambda claim: queued.append(claim))
    with django_capture_on_commit_callbacks(execute=True):
        summary = reminders_sweep.apply(kwargs={"as_of": DAY.isoformat()}).result
    assert summary == "2022-07-08: 3 recorded, 2 digests queued"
    assert len(queued) == 2
    assert set(Reminder.objects.values_list("state", flat=True)) == {State.CLAIMED}
    for claim in queued:
        reminders_deliver.apply(args=[claim])
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_person_deactivated_after_recording_is_not_emailed_nor_retried(overdue, police_lead):
    [(_, claim)] = record_and_claim()
    police_lead.is_active = False
    police_lead.save()
    outcome = reminder_digest_deliver(claim=claim, raise_errors=True)
    assert outcome.state == "failed"
    reminder = Reminder.objects.get()
    assert reminder.state == State.FAILED
    assert reminder.last_error == "Not sent: the person is inactive or has no email address."
    Reminder.objects.update(claimed_at=timezone.now() - timedelta(days=1))
    assert reminders_resume().digests == []
    assert mail.outbox == []
