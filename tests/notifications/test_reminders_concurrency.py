"""Sweeps and deliveries racing each other on PostgreSQL, in real threads with their own connections."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

from notifications.models import Reminder
from notifications.owed import reminders_due
from notifications.services import reminder_digest_deliver, reminders_claim, reminders_record, reminders_send
from tests.factories import ActionFactory, PlanFactory, PoliceLeadFactory, ThemeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DAY = date(2022, 7, 8)


class SlowBackend(LocmemBackend):
    """Takes a moment to send, as SMTP does, so racing sweeps overlap."""

    lock = threading.Lock()

    def send_messages(self, messages):
        time.sleep(0.02)
        with SlowBackend.lock:
            return super().send_messages(messages)


@pytest.fixture
def many_leads(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_reminders_concurrency.SlowBackend"
    plan = PlanFactory()
    theme = ThemeFactory(plan=plan, number=1)
    leads = [PoliceLeadFactory() for _ in range(12)]
    for n, lead in enumerate(leads):
        for m, target in enumerate([date(2022, 7, 7), date(2022, 7, 22), date(2022, 6, 1)]):
            ActionFactory(theme=theme, reference=f"{n}.{m}", side="police", police_lead=lead, target_date=target)
    return leads


def run_at_once(target, count: int) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target()
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_sweeps_running_at_once_send_each_reminder_once(many_leads):
    run_at_once(lambda: reminders_send(as_of=DAY), count=8)
    run_at_once(lambda: reminders_send(as_of=DAY), count=3)

    expected = len(reminders_due(as_of=DAY))
    assert expected == 12 * 3  # per lead: one overdue, one due soon, one weekly overdue
    assert Reminder.objects.count() == expected
    assert Reminder.objects.filter(state=Reminder.State.SENT).count() == expected
    # One email per lead, whichever sweep sent it, and no lead twice.
    recipients = Counter(message.to[0] for message in mail.outbox)
    assert sorted(recipients) == sorted(lead.email for lead in many_leads)
    assert set(recipients.values()) == {1}
    assert all(message.subject.startswith("2 actions overdue, 1 action due soon") for message in mail.outbox)


def test_the_same_claim_delivered_by_two_workers_at_once_is_sent_once(many_leads):
    reminders_record(dues=reminders_due(as_of=DAY), as_of=DAY)
    claims = [claim for _, claim in reminders_claim()]
    assert len(claims) == 12

    def deliver_all():
        return [reminder_digest_deliver(claim=claim) for claim in claims]

    results = run_at_once(deliver_all, count=4)
    sent = [outcome for worker in results for outcome in worker if outcome is not None]
    assert len(sent) == 12
    assert len(mail.outbox) == 12
    assert Reminder.objects.exclude(state=Reminder.State.SENT).count() == 0
